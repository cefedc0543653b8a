"""A party's timeline: the rows of every registered source (`core.timeline`: this app's
interactions, appointments, tasks, notes, follow-ups, files and the party's history, and
whatever later apps register), newest first, one keyset page at a time.

Each source is asked for at most a page (+1) of rows sorted by its own indexed time
column, then the lists are merged. So a page costs one query per source whatever the
party's size, and the "next page" cursor is (time, source rank, id) of the last row shown.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from mitra.core.policy import Action, has_module_perm
from mitra.core.timeline import TimelineSource, register_timeline_source, timeline_sources

from .models import (
    Appointment,
    Attachment,
    AttachmentTarget,
    FollowUp,
    Interaction,
    Note,
    Task,
    TaskStep,
)

PAGE = 25
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class Item:
    kind: str
    at: dt.datetime
    rank: int
    pk: int
    obj: Any
    changes: tuple = ()
    template: str = ""

    @property
    def key(self):
        return (self.at, self.rank, self.pk)


def _micros(value):
    return (value - EPOCH) // dt.timedelta(microseconds=1)


def encode_cursor(item):
    return f"{_micros(item.at)}.{item.rank}.{item.pk}"


def decode_cursor(text):
    try:
        micros, rank, pk = (int(p) for p in (text or "").split("."))
        return EPOCH + dt.timedelta(microseconds=micros), rank, pk
    except (TypeError, ValueError, OverflowError):
        return None


def _after(field, rank, cursor):
    """Rows of a source with `rank` that sort after `cursor` (newest first)."""
    if cursor is None:
        return Q()
    at, c_rank, c_pk = cursor
    if rank < c_rank:
        return Q(**{f"{field}__lte": at})
    if rank > c_rank:
        return Q(**{f"{field}__lt": at})
    return Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": c_pk})


# -- the sources of this app (registered from apps.py; later apps register their own) ---------
#
# Interactions, appointments, tasks and notes are read through their target rows: the party
# and the time are both on the (party, at) index, so the database walks the party's newest
# rows and stops after a page, whatever else their owners have.


def _interactions(user, party):
    if has_module_perm(user, "interactions", Action.VIEW):
        return Interaction.objects.visible_to(user).select_related("user", "result")


def _appointments(user, party):
    if has_module_perm(user, "appointments", Action.VIEW):
        return Appointment.objects.visible_to(user).select_related("type")


def _tasks(user, party):
    if has_module_perm(user, "tasks", Action.VIEW):
        return Task.objects.visible_to(user).select_related("assignee")


def _notes(user, party):
    if has_module_perm(user, "notes", Action.VIEW):
        return Note.objects.visible_to(user).select_related("owner")


def _followups(user, party):
    if has_module_perm(user, "followups", Action.VIEW):
        return FollowUp.objects.visible_to(user).filter(party=party).select_related("owner")


def _files(user, party):
    if has_module_perm(user, "attachments", Action.VIEW):
        # The party is visible (the caller checked), so the files on it are too.
        return Attachment.objects.filter(
            pk__in=AttachmentTarget.objects.filter(party=party).values("attachment_id")
        ).select_related("owner")


def _history(user, party):
    return party.history.select_related("history_user")


def _history_prepare(rows):
    for i, rec in enumerate(rows):
        prev = rows[i + 1] if i + 1 < len(rows) else None
        rec.timeline_changes = _history_changes(rec, prev)


def register_sources():
    """The sources this app contributes to the party timeline (ranks 0–6)."""
    from django.utils.translation import gettext_lazy as _

    tpl = "activities/timeline/_{}.html".format
    for source in (
        TimelineSource("interaction", _("Interactions"), 0, "targets__at", _interactions,
                       tpl("interaction"), party_field="targets__party"),
        TimelineSource("appointment", _("Appointments"), 1, "targets__at", _appointments,
                       tpl("appointment"), party_field="targets__party"),
        TimelineSource("task", _("Tasks"), 2, "targets__at", _tasks, tpl("task"),
                       party_field="targets__party", shown=_step_counts),
        TimelineSource("note", _("Notes"), 3, "targets__at", _notes, tpl("note"),
                       party_field="targets__party"),
        TimelineSource("followup", _("Follow-ups"), 4, "followed_up_at", _followups,
                       tpl("followup")),
        TimelineSource("file", _("Files"), 5, "created_at", _files, tpl("file")),
        TimelineSource("history", _("Changes"), 6, "history_date", _history, tpl("history"),
                       pk_field="history_id", prepare=_history_prepare),
    ):  # fmt: skip
        register_timeline_source(source)


def _history_changes(record, previous):
    """Labels of the fields that changed between two history records of a party."""
    if previous is None or record.history_type != "~":
        return ()
    out = []
    for field in record.instance_type._meta.concrete_fields:
        name = field.attname
        if name in ("updated_at", "search_name", "name_key", "version"):
            continue
        if getattr(record, name, None) != getattr(previous, name, None):
            out.append(field.verbose_name)
    return tuple(out)


def kind_choices():
    """(kind, label) of every source, for the timeline's filter buttons."""
    return [(s.kind, s.label) for s in timeline_sources()]


def page(user, party, cursor="", per_page=PAGE, kinds=None):
    """(items, next cursor or "") for `party` as `user` sees it."""
    after = decode_cursor(cursor) if cursor else None
    items = []
    shown_hooks = {}
    for source in timeline_sources():
        if kinds and source.kind not in kinds:
            continue
        qs = source.rows(user, party)
        if qs is None:
            continue
        field, rank = source.time_field, source.rank
        if source.party_field:
            # One filter() call: the party and the time condition share the same target row.
            qs = qs.filter(Q(**{source.party_field: party}) & _after(field, rank, after))
        else:
            qs = qs.filter(_after(field, rank, after))
        qs = qs.annotate(timeline_at=F(field))
        rows = list(qs.order_by(f"-{field}", f"-{source.pk_field}")[: per_page + 1])
        if source.prepare:
            source.prepare(rows)
        if source.shown:
            shown_hooks[source.kind] = source.shown
        items += [
            Item(
                source.kind,
                r.timeline_at,
                rank,
                getattr(r, source.pk_field),
                r,
                getattr(r, "timeline_changes", ()),
                source.template,
            )
            for r in rows
        ]
    items.sort(key=lambda i: i.key, reverse=True)
    next_cursor = encode_cursor(items[per_page - 1]) if len(items) > per_page else ""
    items = items[:per_page]
    for kind, hook in shown_hooks.items():
        hook([i.obj for i in items if i.kind == kind])
    return items, next_cursor


def _step_counts(shown):
    """(done, total) steps of the tasks shown, in one query."""
    tasks = {t.pk: t for t in shown}
    if not tasks:
        return
    counts = (
        TaskStep.objects.filter(task_id__in=tasks)
        .values("task_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(done=True)))
    )
    for row in counts:
        tasks[row["task_id"]].step_counts = (row["done"], row["n"])


def upcoming(user, party, now=None):
    """What comes next with this party: appointments, open tasks, the next follow-up."""
    now = now or timezone.now()
    out = {"appointments": [], "tasks": [], "followup": None}
    if has_module_perm(user, "appointments", Action.VIEW):
        out["appointments"] = list(
            Appointment.objects.visible_to(user)
            .for_party(party)
            .active()
            .filter(end__gte=now)
            .select_related("type")
            .order_by("start", "pk")[:3]
        )
    if has_module_perm(user, "tasks", Action.VIEW):
        out["tasks"] = list(
            Task.objects.visible_to(user)
            .for_party(party)
            .open()
            .select_related("assignee")
            .order_by(F("due_at").asc(nulls_last=True), "-priority", "pk")[:5]
        )
    if has_module_perm(user, "followups", Action.VIEW):
        out["followup"] = (
            FollowUp.objects.visible_to(user)
            .filter(party=party, is_current=True)
            .order_by("-pk")
            .first()
        )
    return out
