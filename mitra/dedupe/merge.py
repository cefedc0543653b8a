"""Merge two parties (A14): keep one, take chosen field values from the other, move every
row that points at it (whatever app it belongs to) and trash or delete it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core.approvals.engine import move_requests
from mitra.core.events import Event, record_event
from mitra.core.policy import Action, can

# -- merge ------------------------------------------------------------------------------------

# Party columns that are not the user's to pick: keys, bookkeeping, derived values.
NOT_MERGED = {
    "id", "public_id", "created_at", "updated_at", "search_name", "name_key", "deleted_at",
    "deleted_by",
}  # fmt: skip


def merge_fields():
    """The Party fields a merge lets the user pick, in form order."""
    from mitra.parties.models import Party

    return [
        f
        for f in Party._meta.concrete_fields
        if f.name not in NOT_MERGED and not f.auto_created and (f.editable or f.name == "rating")
    ]


def _is_history_model(model):
    return hasattr(model, "instance_type") and hasattr(model, "history_object")


def _reverse_relations():
    """Every FK/one-to-one from any installed model to Party, hidden ones included
    (auto-created many-to-many tables), except history tables and the duplicate
    queue itself."""
    from mitra.parties.models import Party

    from .models import DuplicatePair, Merge

    skip = {DuplicatePair, Merge}
    rels = []
    for rel in Party._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if model in skip or _is_history_model(model):
            continue
        rels.append(rel)
    return rels


def related_counts(party):
    """{verbose name plural: count} of the rows pointing at `party` (the merge screen)."""
    counts = {}
    for rel in _reverse_relations():
        model = rel.related_model
        n = model._base_manager.filter(**{rel.field.name: party}).count()
        if n:
            meta = model._meta
            if meta.auto_created:  # a many-to-many table: name it by the field
                label = _many_to_many_label(model)
            else:
                label = str(meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + n
    return counts


def _many_to_many_label(through):
    from mitra.parties.models import Party

    for f in Party._meta.many_to_many:
        if f.remote_field.through is through:
            return str(f.verbose_name)
    return str(through._meta.verbose_name_plural)


def _party_fks(model):
    from mitra.parties.models import Party

    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Party]


def _move_rows(rel, survivor, loser):
    """Point `rel`'s rows at the survivor; rows the survivor already has (a unique
    constraint says so) or that would point a party at itself are deleted."""
    model, fk = rel.related_model, rel.field
    manager = model._base_manager
    rows = manager.filter(**{fk.name: loser})
    if rel.one_to_one:
        if manager.filter(**{fk.name: survivor}).exists():
            return 0, rows.delete()[0]
        return rows.update(**{fk.attname: survivor.pk}), 0
    moved = dropped = 0
    try:
        with transaction.atomic():
            moved = rows.update(**{fk.attname: survivor.pk})
    except IntegrityError:
        moved = 0
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{fk.attname: survivor.pk})
            except IntegrityError:
                manager.filter(pk=pk).delete()
                dropped += 1
    others = [f for f in _party_fks(model) if f is not fk]
    if others:
        # A relationship or contact between the two merged parties now joins the
        # survivor to itself: it means nothing any more.
        selfish = manager.filter(**{fk.attname: survivor.pk}).filter(
            **{f.attname: survivor.pk for f in others}
        )
        n = selfish.delete()[0]
        moved, dropped = moved - n, dropped + n
    return moved, dropped


@transaction.atomic
def merge_parties(survivor, loser, *, acting_user, take=(), delete_loser=False):
    """Merge `loser` into `survivor` and return the `Merge` record.

    `take`: names of fields (see `merge_fields()`) whose value comes from the loser; the
    rest keep the survivor's. Every row of any app pointing at the loser moves to the
    survivor, many-to-many links are united, the survivor's history records the merge,
    and the loser goes to the trash (or, with `delete_loser` and the right, is deleted).
    """
    from mitra.parties import search
    from mitra.parties.models import Party

    from .models import DuplicatePair, Merge

    if survivor.pk == loser.pk:
        raise ValidationError(_("A party cannot be merged with itself."))
    if not can(acting_user, Action.EDIT, survivor) or not can(acting_user, Action.DELETE, loser):
        raise PermissionDenied
    if delete_loser and not can(acting_user, Action.PURGE, loser):
        raise PermissionDenied
    # Lock both rows so two people merging at once cannot interleave.
    locked = {
        p.pk: p
        for p in Party.all_objects.select_for_update().filter(pk__in=[survivor.pk, loser.pk])
    }
    if len(locked) != 2 or locked[loser.pk].deleted_at is not None:
        raise ValidationError(_("One of the parties is no longer available."))
    survivor, loser = locked[survivor.pk], locked[loser.pk]
    fields = {f.name: f for f in merge_fields()}
    unknown = set(take) - set(fields)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    taken = [name for name in fields if name in take]

    loser_code, loser_name = loser.code, loser.name
    with search.batch():
        if "code" in taken:
            # Codes are unique across the trash too: the loser gives its code up first.
            loser.code = f"{loser_code[:20]}-M{loser.pk}"
            Party.all_objects.filter(pk=loser.pk).update(code=loser.code)
            survivor.code = loser_code
        for name in taken:
            if name != "code":
                setattr(survivor, fields[name].attname, getattr(loser, fields[name].attname))

        moved = {}
        for rel in _reverse_relations():
            n, _dropped = _move_rows(rel, survivor, loser)
            if n:
                label = rel.related_model._meta.label
                moved[label] = moved.get(label, 0) + n
        move_requests(Party, loser.pk, survivor.pk)  # edit approvals (A17) follow the party

        note = _("Merged with %(code)s %(name)s") % {"code": loser_code, "name": loser_name}
        survivor._history_user = acting_user
        survivor._change_reason = note
        survivor.save()

        merge = Merge.objects.create(
            survivor=survivor,
            loser=None if delete_loser else loser,
            loser_code=loser_code,
            loser_name=loser_name,
            loser_deleted=delete_loser,
            fields_taken=taken,
            moved=moved,
            merged_by=acting_user,
        )
        record_event(
            "party.merged",
            survivor,
            acting_user=acting_user,
            payload={"merged": str(loser.public_id), "code": loser_code, "fields": taken},
        )
        Event.objects.filter(party_pk=loser.pk).update(party_pk=survivor.pk)  # its timeline too
        pairs = DuplicatePair.objects.filter(
            Q(party_a=survivor, party_b=loser) | Q(party_a=loser, party_b=survivor)
        )
        pairs.update(
            status=DuplicatePair.Status.MERGED,
            resolved_by=acting_user,
            resolved_at=timezone.now(),
        )
        # Other open pairs of the merged party: the next scan proposes them again for
        # the survivor if they still apply.
        DuplicatePair.objects.involving(loser).exclude(status=DuplicatePair.Status.MERGED).delete()

        loser._history_user = acting_user
        loser._change_reason = _("Merged into %(code)s %(name)s") % {
            "code": survivor.code,
            "name": survivor.name,
        }
        if delete_loser:
            loser.delete()
        else:
            loser.deleted_at, loser.deleted_by = timezone.now(), acting_user
            loser.is_active = False
            loser.save(update_fields=["deleted_at", "deleted_by", "is_active", "updated_at"])
        search.touch(survivor.pk)
    return merge


def _field_value(party, f):
    value = getattr(party, f.name)
    if isinstance(f, models.ForeignKey):
        return value
    if f.choices:
        return getattr(party, f"get_{f.name}_display")()
    return value


def merge_rows(survivor, loser):
    """(field, survivor's value, loser's value, differ?) for the merge screen."""
    rows = []
    for f in merge_fields():
        a, b = getattr(survivor, f.attname), getattr(loser, f.attname)
        rows.append(
            {
                "name": f.name,
                "label": f.verbose_name,
                "survivor": _field_value(survivor, f),
                "loser": _field_value(loser, f),
                "differ": a != b and b not in (None, ""),
                "empty": a in (None, "") and b not in (None, ""),
            }
        )
    return rows
