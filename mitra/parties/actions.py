"""Business verbs for parties. The web views and the API both call these.

Every function is atomic, takes a keyword-only `acting_user`, checks permission and
records who did it in the history. Edits that an approval rule catches (by default: users
whose role has `edits_need_approval`) become a pending core `ApprovalRequest` instead of
being saved (A17, `parties/approvals.py`).
"""

import contextlib
import datetime as dt
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, router, transaction
from django.db.models import F
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitra.core.approvals import engine as approval_engine
from mitra.core.events import record_event
from mitra.core.policy import Action, Level, can, has_module_perm, require, require_configure
from mitra.core.unique import code_taken

from .models import (
    Address,
    Contact,
    ContactPoint,
    Group,
    GroupMembership,
    Kind,
    LanguageSkill,
    Party,
    PartyRole,
    Rating,
    Relationship,
)

MODULE = "parties"


class DeleteBlocked(Exception):
    """A party cannot be deleted; `reasons` says why, in words a user understands."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("; ".join(str(r) for r in self.reasons))


# -- permission helpers --------------------------------------------------------------


def _require(user, action, obj=None):
    require(user, action, obj, module=MODULE)


def can_on_trashed(user, action, party):
    """`can()` for a party in the trash (the default manager hides it from `can`)."""
    if not has_module_perm(user, MODULE, action):
        return False
    return user.is_superuser or Party.all_objects.visible_to(user).filter(pk=party.pk).exists()


def needs_approval(user):
    """Do this user's edits to party data wait for a team lead (A17)?"""
    return bool(
        not user.is_superuser and user.role_id and getattr(user.role, "edits_need_approval", False)
    )


def _approval_rule(party, user, changes=None):
    """The approval rule this edit falls under, or None when it is saved at once."""
    from .approvals import KIND

    return approval_engine.rule_for(KIND, party, user, changes)


def can_approve(user, party=None):
    """Team leads and executives with `approve` on parties decide on change requests."""
    if not has_module_perm(user, MODULE, Action.APPROVE):
        return False
    if not user.is_superuser and user.level not in (Level.TEAM_LEAD, Level.EXECUTIVE):
        return False
    if party is None:
        return True
    return user.is_superuser or Party.objects.visible_to(user).filter(pk=party.pk).exists()


# -- deletion blockers (A16) -------------------------------------------------------------

_delete_blockers = []


def register_delete_blocker(func):
    """Add a check `func(party) -> str | list[str] | None` run before a permanent delete.

    A non-empty answer (name what refers to the party: "It has 10 interactions.") blocks
    the purge and is shown to the user as the reason. Moving to the trash is never
    blocked: it can be undone, and the records keep pointing at the party. Apps whose
    rows point at parties with PROTECT need not register: those are found anyway.
    """
    _delete_blockers.append(func)
    return func


_purge_hooks = []


def register_purge_hook(func):
    """Add `func(party)`, run inside a permanent delete just before the party goes: an app
    removes what should go with it (the files kept on the party)."""
    _purge_hooks.append(func)
    return func


def delete_blockers(party):
    """Reasons `party` cannot be deleted (an empty list when it can)."""
    reasons = []
    collector = Collector(using=router.db_for_write(Party), origin=party)
    protected = []
    try:
        collector.collect([party])
    except ProtectedError as exc:
        protected = list(exc.protected_objects)
    except RestrictedError as exc:
        protected = list(exc.restricted_objects)
    if protected:
        counts = {}
        for obj in protected:
            meta = obj._meta
            counts.setdefault(meta.label, [meta, 0])[1] += 1
        parts = []
        for meta, n in counts.values():
            noun = meta.verbose_name if n == 1 else meta.verbose_name_plural
            parts.append(f"{n} {noun}")
        reasons.append(_("Other records refer to it: %(things)s.") % {"things": ", ".join(parts)})
    for func in _delete_blockers:
        answer = func(party)
        if not answer:
            continue
        reasons.extend([answer] if isinstance(answer, str) else list(answer))
    return reasons


@transaction.atomic
def trash_party(party, *, acting_user):
    """Move `party` to the trash (A16): allowed even while records refer to it, since it
    can be restored; `purge_party` is what records referring to it block."""
    _require(acting_user, Action.DELETE, party)
    return _set_trashed(party, timezone.now(), "party.trashed", acting_user=acting_user)


@transaction.atomic
def restore_party(party, *, acting_user):
    if not can_on_trashed(acting_user, Action.DELETE, party):
        raise PermissionDenied
    return _set_trashed(party, None, "party.restored", acting_user=acting_user)


def _set_trashed(party, deleted_at, event, *, acting_user):
    """Put `party` in the trash (`deleted_at` a time) or take it out (None), and say so."""
    party.deleted_at = deleted_at
    party.deleted_by = acting_user if deleted_at else None
    party._history_user = acting_user
    party.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    record_event(event, party, acting_user=acting_user)
    return party


@transaction.atomic
def purge_party(party, *, acting_user):
    """Delete `party` for good, with its contact points, addresses and links; refused
    (`DeleteBlocked`, naming them) while other records refer to it."""
    if not can_on_trashed(acting_user, Action.PURGE, party):
        raise PermissionDenied
    if reasons := delete_blockers(party):
        raise DeleteBlocked(reasons)
    party._history_user = acting_user
    files = [party.photo.name] if party.photo else []
    for hook in _purge_hooks:
        hook(party)
    record_event("party.purged", party, acting_user=acting_user, payload={"code": party.code})
    party.delete()
    transaction.on_commit(lambda: [default_storage.delete(f) for f in files])


# -- create and edit ---------------------------------------------------------------------

CONTACT_POINT_FIELDS = [
    "kind",
    "label",
    "country_code",
    "area_code",
    "number",
    "extension",
    "value",
    "is_primary",
]
ADDRESS_FIELDS = [
    "kind",
    "line1",
    "line2",
    "district",
    "city",
    "province",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "is_primary",
]
LANGUAGE_FIELDS = ["language", "level"]
ROWS = {
    "contact_points": (ContactPoint, CONTACT_POINT_FIELDS, "contact_points"),
    "addresses": (Address, ADDRESS_FIELDS, "addresses"),
    "languages": (LanguageSkill, LANGUAGE_FIELDS, "languages"),
}
SPECIAL = ("roles", "managers", "groups", *ROWS)
# Party columns a user never edits directly.
NOT_EDITABLE = {
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "search_name",
    "name_key",
    "deleted_at",
    "deleted_by",
    "rating",
}


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def _row(obj, fields):
    return {"id": obj.pk, **{f: _jsonable(getattr(obj, f)) for f in fields}}


def _clean_row(row, fields):
    return {"id": row.get("id"), **{f: _jsonable(row.get(f)) for f in fields}}


def _field_display(field, value):
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    return str(value)


def _rows_display(rows):
    out = []
    for row in rows:
        parts = [str(v) for k, v in row.items() if k != "id" and v not in (None, "", False)]
        out.append(" ".join(p for p in parts if p not in ("True",)))
    return "; ".join(out)


def compute_changes(
    party,
    values=None,
    *,
    roles=None,
    managers=None,
    groups=None,
    contact_points=None,
    addresses=None,
    languages=None,
):
    """The differences between `party` as stored and the given new state, as JSON."""
    changes = {}
    current = Party.all_objects.get(pk=party.pk) if party.pk else Party()
    derived = _derived(current, values or {})
    for name, new in (values or {}).items():
        if name in NOT_EDITABLE:
            continue
        field = Party._meta.get_field(name)
        old = getattr(current, field.attname if field.is_relation else name)
        if name in derived:
            # What saving would store (a person's name is made of the first and last names).
            new = derived[name]
        if isinstance(field, models.FileField):
            old_j = old.name if old else ""
            if new in (None, False) or not hasattr(new, "read"):
                # No new upload: keep (None) or clear (False) the file.
                if new is False and old_j:
                    changes[name] = {
                        "old": old_j,
                        "new": "",
                        "old_display": old_j,
                        "new_display": "",
                    }
                continue
            changes[name] = {
                "old": old_j,
                "new": new,
                "old_display": old_j,
                "new_display": new.name,
            }
            continue
        new_j = _jsonable(new)
        old_j = _jsonable(old)
        if field.is_relation and isinstance(new, models.Model):
            new_j = new.pk
        if (
            isinstance(field, models.DecimalField)
            and new_j is not None
            and old_j is not None
            and decimal.Decimal(str(new_j)) == decimal.Decimal(str(old_j))
        ):
            continue
        if _same(new_j, old_j):
            continue
        changes[name] = {
            "old": old_j,
            "new": new_j,
            "old_display": _field_display(field, old_j),
            "new_display": _field_display(field, new_j),
        }
    if roles is not None:
        old = sorted(current.roles.values_list("role", flat=True)) if current.pk else []
        new = sorted(set(roles))
        if old != new:
            labels = dict(PartyRole._meta.get_field("role").flatchoices)
            changes["roles"] = {
                "old": old,
                "new": new,
                "old_display": ", ".join(str(labels.get(r, r)) for r in old),
                "new_display": ", ".join(str(labels.get(r, r)) for r in new),
            }
    for key, given, rel in (("managers", managers, "managers"), ("groups", groups, "groups")):
        if given is None:
            continue
        old_objs = list(getattr(current, rel).all()) if current.pk else []
        new_objs = list(given)
        old = sorted(o.pk for o in old_objs)
        new = sorted({o.pk for o in new_objs})
        if old != new:
            changes[key] = {
                "old": old,
                "new": new,
                "old_display": ", ".join(sorted(str(o) for o in old_objs)),
                "new_display": ", ".join(sorted({str(o) for o in new_objs})),
            }
    for key, given in (
        ("contact_points", contact_points),
        ("addresses", addresses),
        ("languages", languages),
    ):
        if given is None:
            continue
        model, fields, rel = ROWS[key]
        old = [_row(o, fields) for o in getattr(current, rel).all()] if current.pk else []
        new = [_clean_row(r, fields) for r in given]
        if _rows_key(old) != _rows_key(new):
            changes[key] = {
                "old": old,
                "new": new,
                "old_display": _rows_display(old),
                "new_display": _rows_display(new),
            }
    return changes


def _derived(current, values):
    """The columns `Party.prepare()` derives, as saving `values` on `current` would store them."""

    def get(name):
        return (values[name] if name in values else getattr(current, name)) or ""

    name = get("name")
    first, last = get("first_name").strip(), get("last_name").strip()
    if get("kind") == Kind.PERSON and (first or last):
        name = " ".join(p for p in (first, last) if p)
    return {"name": name.strip(), "code": get("code").strip()}


def _same(a, b):
    """Equal, counting None and '' (an empty form field) as the same."""
    return ("" if a is None else a) == ("" if b is None else b)


def _rows_key(rows):
    def text(key, value):
        if value is None:
            return ""
        if key in ("latitude", "longitude") and "." in str(value):
            return str(value).rstrip("0").rstrip(".")  # 13.736700 and 13.7367 are equal
        return str(value)

    def norm(row):
        return tuple(sorted((k, text(k, v)) for k, v in row.items()))

    return sorted(norm(r) for r in rows)


def _apply(party, changes, *, history_user, reason=None):
    for name, change in changes.items():
        if name in SPECIAL:
            continue
        field = Party._meta.get_field(name)
        new = change["new"]
        if isinstance(field, models.FileField):
            if hasattr(new, "read"):
                getattr(party, name).save(get_valid_filename(new.name), new, save=False)
            else:
                getattr(party, name).name = new or ""
        elif field.is_relation:
            setattr(party, field.attname, new)
        else:
            setattr(party, name, field.to_python(new) if new is not None else None)
    party._history_user = history_user
    if reason:
        party._change_reason = reason
    party.prepare()
    party.full_clean(exclude=["code"] if party.code else None, validate_unique=False)
    _check_code_free(party.code, party)
    with unique_errors():
        party.save()
        if "roles" in changes:
            _set_roles(party, changes["roles"]["new"])
        if "managers" in changes:
            party.managers.set(changes["managers"]["new"])
        if "groups" in changes:
            _set_groups(party, changes["groups"]["new"])
        for key, (model, fields, _rel) in ROWS.items():
            if key in changes:
                _sync_rows(party, model, fields, changes[key]["new"], history_user)
    return party


def _check_code_free(code, party=None):
    if code_taken(Party.all_objects, code, instance=party):
        raise ValidationError({"code": _("Another party already has this code.")})


@contextlib.contextmanager
def unique_errors():
    """Turn a unique-constraint race (another save took the code between our check and our
    write) into a form error instead of a 500. The savepoint keeps the outer transaction usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "code" in str(exc).lower():
            raise ValidationError({"code": _("Another party already has this code.")}) from exc
        raise ValidationError(
            _("Someone else saved a conflicting change at the same time. Please try again.")
        ) from exc


def _set_roles(party, roles):
    roles = set(roles)
    existing = {r.role: r for r in party.roles.all()}
    for role, obj in existing.items():
        if role not in roles:
            obj.delete()
    PartyRole.objects.bulk_create(
        [PartyRole(party=party, role=r) for r in roles if r not in existing]
    )


def _set_groups(party, group_ids):
    group_ids = {g.pk if isinstance(g, models.Model) else int(g) for g in group_ids}
    GroupMembership.objects.filter(party=party).exclude(group_id__in=group_ids).delete()
    have = set(GroupMembership.objects.filter(party=party).values_list("group_id", flat=True))
    GroupMembership.objects.bulk_create(
        [GroupMembership(party=party, group_id=g) for g in group_ids - have]
    )


def _sync_rows(party, model, fields, rows, history_user):
    existing = {o.pk: o for o in model.objects.filter(party=party)}
    keep = set()
    for row in rows:
        obj = existing.get(row.get("id")) or model(party=party)
        changed = obj.pk is None
        for f in fields:
            value = row.get(f)
            field = model._meta.get_field(f)
            if value is None and not field.null:
                value = field.get_default()
            value = field.to_python(value) if value is not None else None
            changed = changed or getattr(obj, f) != value
            setattr(obj, f, value)
        if changed:  # an unchanged row is not saved, so the history shows only changes
            obj._history_user = history_user
            obj.save()
        keep.add(obj.pk)
    for pk, obj in existing.items():
        if pk not in keep:
            obj._history_user = history_user
            obj.delete()


@transaction.atomic
def create_party(
    *,
    acting_user,
    values,
    roles=(),
    managers=(),
    groups=(),
    contact_points=(),
    addresses=(),
    languages=(),
    owner=None,
):
    """Create a party with its roles, contact points and addresses. `values` are its fields."""
    _require(acting_user, Action.CREATE)
    party = Party(owner=owner or acting_user)
    if party.owner_id == acting_user.pk and acting_user.team_ids():
        party.team_id = acting_user.team_ids()[0]
    photo = values.get("photo")
    for name, value in values.items():
        if name in NOT_EDITABLE or name == "photo":
            continue
        field = Party._meta.get_field(name)
        setattr(
            party,
            field.attname if field.is_relation and not isinstance(value, models.Model) else name,
            value,
        )
    party.prepare()
    party.full_clean(exclude=["code", "owner"], validate_unique=False)
    _check_code_free(party.code)
    if photo and hasattr(photo, "read"):
        party.photo.save(get_valid_filename(photo.name), photo, save=False)
    party._history_user = acting_user
    with unique_errors():
        party.save()
    if roles:
        _set_roles(party, roles)
    if managers:
        party.managers.set(managers)
    if groups:
        _set_groups(party, groups)
    for key, rows in (
        ("contact_points", contact_points),
        ("addresses", addresses),
        ("languages", languages),
    ):
        if rows:
            model, fields, _rel = ROWS[key]
            _sync_rows(party, model, fields, [{**r, "id": None} for r in rows], acting_user)
    record_event("party.created", party, acting_user=acting_user)
    return party


@transaction.atomic
def update_party(party, *, acting_user, values=None, permission=Action.EDIT, **related):
    """Change `party`; returns (party, change_request). The request is None when the
    change was saved, or a pending core ApprovalRequest when the edit needs approval.
    `related` may give roles, managers, groups, contact_points, addresses, languages."""
    _require(acting_user, permission, party)
    _check_code_free(((values or {}).get("code") or "").strip(), party)
    changes = compute_changes(party, values, **related)
    if not changes:
        return party, None
    if rule := _approval_rule(party, acting_user, changes):
        return party, _request_change(party, changes, acting_user, rule)
    _apply(party, changes, history_user=acting_user)
    record_event(
        "party.updated", party, acting_user=acting_user, payload={"fields": sorted(changes)}
    )
    return party, None


# -- one contact point, address or language at a time (the API's child endpoints) ------------


def _row_edit(party, key, acting_user, *, add=None, change=None, drop=None):
    """Add, change or remove exactly one row of `party`'s `key` list; the other rows are not
    rewritten, so two people adding a row at the same time both keep theirs.
    Returns (row or None, change_request or None)."""
    _require(acting_user, Action.EDIT, party)
    model, fields, rel = ROWS[key]
    if rule := _approval_rule(party, acting_user):
        # The request carries the whole list as it is now and as it would be.
        rows = []
        for obj in getattr(party, rel).all():
            if drop is not None and obj.pk == drop.pk:
                continue
            row = _row(obj, fields)
            if change is not None and obj.pk == change[0].pk:
                row.update({f: _jsonable(v) for f, v in change[1].items() if f in fields})
            rows.append(row)
        if add is not None:
            rows.append({"id": None, **{f: _jsonable(add.get(f)) for f in fields}})
        changes = compute_changes(party, **{key: rows})
        return None, (_request_change(party, changes, acting_user, rule) if changes else None)
    _bump_version(party)
    if drop is not None:
        drop._history_user = acting_user
        drop.delete()
        return None, None
    obj, values = change if change is not None else (model(party=party), add)
    for f in fields:
        if f not in values:
            continue
        value = values[f]
        field = model._meta.get_field(f)
        if value is None and not field.null:
            value = field.get_default()
        setattr(obj, f, value)
    obj._history_user = acting_user
    obj.save()
    return obj, None


def _bump_version(party):
    """A row of the party changed on its own: an edit form opened before is now stale (it
    carries the rows as they were). Unconditional, so two row edits at once both land."""
    Party.all_objects.filter(pk=party.pk).update(version=F("version") + 1)


@transaction.atomic
def add_row(party, key, values, *, acting_user):
    """Add one contact point, address or language (`key`) to `party`."""
    return _row_edit(party, key, acting_user, add=values)


@transaction.atomic
def change_row(obj, key, values, *, acting_user):
    """Change one contact point, address or language; the party's other rows stay as they are."""
    return _row_edit(obj.party, key, acting_user, change=(obj, values))


@transaction.atomic
def remove_row(obj, key, *, acting_user):
    """Remove one contact point, address or language."""
    return _row_edit(obj.party, key, acting_user, drop=obj)


@transaction.atomic
def set_role(party, role, present, *, acting_user):
    """Give `party` the `role` (present=True) or take it away, leaving its other roles as
    they are (two people adding different roles at once both keep theirs).
    Returns (party_role or None, change_request or None)."""
    _require(acting_user, Action.EDIT, party)
    roles = set(party.roles.values_list("role", flat=True))
    wanted = roles | {role} if present else roles - {role}
    if wanted == roles:
        return party.roles.filter(role=role).first(), None
    if rule := _approval_rule(party, acting_user):
        return None, _request_change(
            party, compute_changes(party, roles=sorted(wanted)), acting_user, rule
        )
    _bump_version(party)
    if not present:
        for obj in party.roles.filter(role=role):
            obj._history_user = acting_user
            obj.delete()
        record_event(
            "party.role_changed",
            party,
            acting_user=acting_user,
            payload={"role": role, "present": False},
        )
        return None, None
    obj = PartyRole(party=party, role=role)
    obj._history_user = acting_user
    with unique_errors():
        obj.save()
    record_event(
        "party.role_changed",
        party,
        acting_user=acting_user,
        payload={"role": role, "present": True},
    )
    return obj, None


def _request_change(party, changes, acting_user, rule=None):
    from .approvals import KIND

    for change in changes.values():
        new = change.get("new")
        if hasattr(new, "read"):
            # An uploaded photo waits in storage until the request is decided.
            path = f"parties/pending/{party.public_id}/{get_valid_filename(new.name)}"
            change["new"] = default_storage.save(path, new)
            change["new_display"] = change["new"].rsplit("/", 1)[-1]
    return approval_engine.submit(
        KIND, party, acting_user=acting_user, payload=changes, rule=rule, title=party.full_name
    )


def approve_change(request_obj, *, acting_user, note=""):
    """Approve a pending party change (the engine applies it when the last level approves);
    the party's history names the requester and the approver."""
    return approval_engine.decide(request_obj, acting_user=acting_user, approve=True, comment=note)


def reject_change(request_obj, *, acting_user, note=""):
    return approval_engine.decide(request_obj, acting_user=acting_user, approve=False, comment=note)


def changed_since(party, changes):
    """Labels of the things a change request changes that are no longer as they were when
    it was made: the request's "old" values are what it was based on."""
    from .approvals import label_of

    moved = []
    for name, change in changes.items():
        old = change.get("old")
        if name == "roles":
            now = sorted(party.roles.values_list("role", flat=True))
            same = now == sorted(old or [])
        elif name in ("managers", "groups"):
            now = sorted(getattr(party, name).values_list("pk", flat=True))
            same = now == sorted(old or [])
        elif name in ROWS:
            model, fields, rel = ROWS[name]
            now = [_row(o, fields) for o in getattr(party, rel).all()]
            same = _rows_key(now) == _rows_key(old or [])
        else:
            try:
                field = Party._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a field removed since the request was made
                continue
            now = _jsonable(getattr(party, field.attname if field.is_relation else name))
            same = _same(now, old)
            if not same and isinstance(field, models.DecimalField) and now and old:
                same = decimal.Decimal(str(now)) == decimal.Decimal(str(old))
        if not same:
            moved.append(label_of(name))
    return moved


# -- quick changes and bulk actions --------------------------------------------------------


@transaction.atomic
def set_star(party, starred, *, acting_user):
    """Star or unstar `party` for the acting user (personal, no approval needed)."""
    _require(acting_user, Action.STAR, party)
    if starred:
        party.starred_by.add(acting_user)
    else:
        party.starred_by.remove(acting_user)
    return party


@transaction.atomic
def set_active(party, active, *, acting_user):
    return update_party(
        party,
        acting_user=acting_user,
        values={"is_active": bool(active)},
        permission=Action.ACTIVATE,
    )


BULK_ACTIONS = {
    "assign_manager": Action.EDIT,
    "add_to_group": Action.EDIT,
    "set_role": Action.EDIT,
    "activate": Action.ACTIVATE,
    "deactivate": Action.ACTIVATE,
    "star": Action.STAR,
    "unstar": Action.STAR,
}


@transaction.atomic
def bulk_apply(parties, verb, *, acting_user, user=None, group=None, role=None):
    """Apply one bulk verb to each party the user may change; returns (done, requested, skipped)."""
    if verb not in BULK_ACTIONS:
        raise ValueError(verb)
    done = requested = skipped = 0
    for party in parties:
        if not can(acting_user, BULK_ACTIONS[verb], party):
            skipped += 1
            continue
        if verb in ("star", "unstar"):
            set_star(party, verb == "star", acting_user=acting_user)
            done += 1
            continue
        if verb == "assign_manager":
            related = {"managers": [*party.managers.all(), user]}
        elif verb == "add_to_group":
            related = {"groups": [*party.groups.all(), group]}
        elif verb == "set_role":
            related = {"roles": [*party.role_values(), role]}
        else:
            related = {"values": {"is_active": verb == "activate"}, "permission": Action.ACTIVATE}
        _party, cr = update_party(party, acting_user=acting_user, **related)
        if cr is None:
            done += 1
        else:
            requested += 1
    return done, requested, skipped


# -- ratings (A8) --------------------------------------------------------------------------


def refresh_current_rating(party, *, acting_user, today=None):
    """Copy the rating in force today to `party.rating` (and its colour when it follows)."""
    today = today or timezone.localdate()
    current = (
        party.ratings.filter(starts_on__lte=today)
        .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))
        .select_related("level")
        .order_by("-starts_on", "-pk")
        .first()
    )
    level = current.level if current else None
    fields = []
    if party.rating_id != (level.pk if level else None):
        party.rating = level
        fields.append("rating")
    if party.colour_from_rating and level and party.colour != level.colour:
        party.colour = level.colour
        fields.append("colour")
    if fields:
        party._history_user = acting_user
        party.save(update_fields=[*fields, "updated_at"])
    return party


def refresh_due_ratings(today=None, window_days=31):
    """Daily: parties whose rating takes or loses effect by the calendar, not by an edit.

    A rating that starts in the future, or one that ends, changes the party's current
    rating on a day nobody touches the party. The scheduler runs this once a day; the
    window covers days a worker was off. Returns how many parties changed.
    """
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=window_days)
    starts_or_ends = models.Q(starts_on__gt=since, starts_on__lte=today) | models.Q(
        ends_on__gte=since - dt.timedelta(days=1), ends_on__lt=today
    )
    ids = Rating.objects.filter(starts_or_ends).values_list("party_id", flat=True).distinct()
    changed = 0
    for party in Party.all_objects.filter(pk__in=ids).iterator(chunk_size=500):
        before = (party.rating_id, party.colour)
        with transaction.atomic():
            refresh_current_rating(party, acting_user=None, today=today)
        changed += (party.rating_id, party.colour) != before
    return changed


@transaction.atomic
def add_rating(party, *, acting_user, level, starts_on=None, ends_on=None, note=""):
    _require(acting_user, Action.EDIT, party)
    rating = Rating(
        party=party,
        level=level,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        note=note,
        rated_by=acting_user,
    )
    rating.full_clean(exclude=["party", "level", "rated_by"])
    if rating.ends_on and rating.ends_on < rating.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    rating._history_user = acting_user
    rating.save()
    refresh_current_rating(party, acting_user=acting_user)
    record_event("party.rated", party, acting_user=acting_user, payload={"level": str(level)})
    return rating


@transaction.atomic
def remove_rating(rating, *, acting_user):
    _require(acting_user, Action.EDIT, rating.party)
    party = rating.party
    rating._history_user = acting_user
    rating.delete()
    refresh_current_rating(party, acting_user=acting_user)


@transaction.atomic
def save_rating_level(level, *, acting_user):
    require_configure(acting_user)
    level.full_clean()
    level.save()
    if level.colour:
        # Parties whose colour follows their rating take the level's new colour.
        Party.all_objects.filter(rating=level, colour_from_rating=True).exclude(
            colour=level.colour
        ).update(colour=level.colour)
    return level


@transaction.atomic
def delete_rating_level(level, *, acting_user):
    require_configure(acting_user)
    if level.ratings.exists():
        raise ValidationError(_("This rating was given to parties; remove those ratings first."))
    Party.all_objects.filter(rating=level).update(rating=None, version=F("version") + 1)
    level.delete()


# -- groups (A7) ---------------------------------------------------------------------------


@transaction.atomic
def save_group(group, *, acting_user):
    require_configure(acting_user)
    if group.pk and group.parent_id:
        parent = Group.objects.get(pk=group.parent_id)
        if parent.path.startswith(Group.objects.get(pk=group.pk).path):
            raise ValidationError({"parent": _("A group cannot be moved below itself.")})
    group._history_user = acting_user
    group.save()
    return group


@transaction.atomic
def delete_group(group, *, acting_user):
    require_configure(acting_user)
    if group.children.exists():
        raise ValidationError(_("This group has sub-groups; move or delete them first."))
    group._history_user = acting_user
    group.delete()


# -- relationships (A13) and contacts (A6) ------------------------------------------------------


@transaction.atomic
def add_relationship(
    from_party, to_party, kind, *, acting_user, note="", starts_on=None, ends_on=None
):
    _require(acting_user, Action.EDIT, from_party)
    if not Party.objects.visible_to(acting_user).filter(pk=to_party.pk).exists():
        raise PermissionDenied
    if from_party.pk == to_party.pk:
        raise ValidationError(_("A party cannot be related to itself."))
    if Relationship.objects.filter(from_party=from_party, to_party=to_party, kind=kind).exists():
        raise ValidationError(_("This relationship is already recorded."))
    rel = Relationship(
        from_party=from_party,
        to_party=to_party,
        kind=kind,
        note=note,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
    )
    rel._history_user = acting_user
    rel.save()
    record_event(
        "party.related",
        from_party,
        acting_user=acting_user,
        payload={"kind": str(kind), "to": str(to_party.public_id)},
    )
    return rel


@transaction.atomic
def remove_relationship(rel, *, acting_user):
    if not (
        can(acting_user, Action.EDIT, rel.from_party) or can(acting_user, Action.EDIT, rel.to_party)
    ):
        raise PermissionDenied
    record_event(
        "party.unrelated",
        rel.from_party,
        acting_user=acting_user,
        payload={"kind": str(rel.kind), "to": str(rel.to_party.public_id)},
    )
    rel._history_user = acting_user
    rel.delete()


@transaction.atomic
def link_contact(
    organisation,
    person,
    *,
    acting_user,
    job_title="",
    department="",
    priority=1,
    is_primary=False,
    note="",
):
    """Record that `person` works for `organisation` (A6)."""
    _require(acting_user, Action.EDIT, organisation)
    if not Party.objects.visible_to(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied
    if not organisation.is_organisation or not person.is_person:
        raise ValidationError(_("A contact links a person to an organisation."))
    contact, _created = Contact.objects.get_or_create(organisation=organisation, person=person)
    contact.job_title = job_title
    contact.department = department
    contact.priority = priority
    contact.is_primary = is_primary
    contact.note = note
    contact._history_user = acting_user
    contact.save()
    if is_primary:
        for other in Contact.objects.filter(organisation=organisation, is_primary=True).exclude(
            pk=contact.pk
        ):
            other.is_primary = False
            other._history_user = acting_user
            other.save(update_fields=["is_primary", "updated_at"])
    return contact


@transaction.atomic
def unlink_contact(contact, *, acting_user):
    _require(acting_user, Action.EDIT, contact.organisation)
    contact._history_user = acting_user
    contact.delete()


def bulk_summary(done, requested, skipped):
    parts = [ngettext("%(n)d party changed.", "%(n)d parties changed.", done) % {"n": done}]
    if requested:
        parts.append(
            ngettext(
                "%(n)d change waits for approval.", "%(n)d changes wait for approval.", requested
            )
            % {"n": requested}
        )
    if skipped:
        parts.append(
            ngettext(
                "%(n)d party skipped: you may not change it.",
                "%(n)d parties skipped: you may not change them.",
                skipped,
            )
            % {"n": skipped}
        )
    return " ".join(parts)
