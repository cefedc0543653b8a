"""The party's history tab: the party's own changes and those of the rows that belong to it
(contact points, addresses, roles, ratings, relationships, contacts, files), newest first,
each as who / when / what.
"""

from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mitra.core.history import _display, history_rows

from . import bidi
from .models import (
    Address,
    Contact,
    ContactPoint,
    Party,
    PartyRole,
    Rating,
    Relationship,
)

# Columns that change with every save or are derived from others: not worth a line.
QUIET = {"created_at", "updated_at", "e164", "value", "size", "public_id"}


_more_sources = []


def register_history_source(func):
    """Add `func(party) -> (model, its history records for the party)` to the history tab:
    rows another app keeps on the party (the files kept on it)."""
    _more_sources.append(func)
    return func


def _sources(party):
    """(model, records of rows belonging to `party`) pairs."""
    pk = party.pk
    return [*(func(party) for func in _more_sources), *_builtin_sources(pk)]


def _builtin_sources(pk):
    return [
        (ContactPoint, ContactPoint.history.filter(party_id=pk)),
        (Address, Address.history.filter(party_id=pk)),
        (PartyRole, PartyRole.history.filter(party_id=pk)),
        (Rating, Rating.history.filter(party_id=pk).select_related("level")),
        (Relationship, Relationship.history.filter(Q(from_party_id=pk) | Q(to_party_id=pk))),
        (Contact, Contact.history.filter(Q(organisation_id=pk) | Q(person_id=pk))),
    ]


def _changes(record, previous):
    out = []
    for change in record.diff_against(previous).changes:
        if change.field in QUIET:
            continue
        field = record.instance_type._meta.get_field(change.field)
        if field.is_relation and field.name in ("party", "from_party", "to_party"):
            continue
        out.append(
            (field.verbose_name, _display(previous, change.field), _display(record, change.field))
        )
    return out


def _describe(model, record, party, names):
    """What the row is: (its kind in words, its text, its text as HTML isolated for RTL
    pages), e.g. ("Contact point", "+66 2 123 4567", '<bdi dir="ltr">+66 2 123 4567</bdi>')."""
    html = None
    if model is Relationship:
        this = str(party)
        kind = record.get_kind_display()
        if record.from_party_id == party.pk:
            parts = (this, kind, names.get(record.to_party_id, ""))
        else:
            parts = (names.get(record.from_party_id, ""), kind, this)
        text = " ".join(parts)
        html = " ".join(bidi.auto(p) for p in parts)
    elif model is Contact:
        other = record.person_id if record.organisation_id == party.pk else record.organisation_id
        text = names.get(other, "")
    elif model is Rating:
        text = str(record.level) if record.level_id else ""
    elif model is ContactPoint:
        text = str(record.instance)
        html = bidi.contact_html(record.instance)
    elif model is Address:
        text = str(record.instance)
        html = bidi.address_html(record.instance)
    else:
        text = str(record.instance)
    label = str(model._meta.verbose_name).capitalize()
    return label, text, mark_safe(html if html is not None else bidi.auto(text))


def party_history(party, user, limit=50):
    """Rows for the history tab: dicts of record (who: history_user, when: history_date),
    kind (created/changed/deleted), what (None for the party itself) and changes."""
    rows = [{**row, "what": None} for row in history_rows(party, limit)]
    kinds = {"+": _("added"), "~": _("changed"), "-": _("removed")}
    related = []
    for model, qs in _sources(party):
        records = list(
            qs.select_related("history_user").order_by("-history_date", "-history_id")[: 3 * limit]
        )
        older = {}  # row id → the next older record already seen (walking oldest first)
        for record in reversed(records):
            previous = older.get(record.id)
            older[record.id] = record
            changes = []
            if record.history_type == "~":
                if previous is None:
                    continue  # its earlier state was cut off: nothing to compare with
                changes = _changes(record, previous)
                if not changes:
                    continue
            related.append((model, record, changes))
    # Relationships and contacts name another party: only those the user may see.
    other_ids = set()
    for model, record, _rest in related:
        if model is Relationship:
            other_ids.update((record.from_party_id, record.to_party_id))
        elif model is Contact:
            other_ids.update((record.organisation_id, record.person_id))
    other_ids.discard(party.pk)
    names = {}
    if other_ids:
        visible = Party.all_objects.visible_to(user).filter(pk__in=other_ids)
        names = dict(visible.values_list("pk", "name"))
    for model, record, changes in related:
        if model in (Relationship, Contact):
            ids = (
                {record.from_party_id, record.to_party_id}
                if model is Relationship
                else {record.organisation_id, record.person_id}
            )
            if any(i not in names for i in ids - {party.pk}):
                continue
        label, text, html = _describe(model, record, party, names)
        rows.append(
            {
                "record": record,
                "kind": kinds[record.history_type],
                "what": f"{label}: {text}",
                "what_label": label,
                "what_html": html,
                "changes": changes,
            }
        )
    rows.sort(key=lambda r: r["record"].history_date, reverse=True)
    return rows[:limit]
