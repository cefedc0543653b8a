"""A party's timeline: its interactions, appointments, tasks, notes, follow-ups, files and
history, newest first, one keyset page at a time.

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


def _sources(user, party):
    """(kind, rank, time field, queryset) for each source the user may read.

    Interactions, appointments, tasks and notes are read through their target rows: the
    party and the time are both on the (party, at) index, so the database walks the
    party's newest rows and stops after a page, whatever else their owners have.
    """
    sources = []
    if has_module_perm(user, "interactions", Action.VIEW):
        qs = Interaction.objects.visible_to(user).select_related("user", "result")
        sources.append(("interaction", 0, "targets__at", qs))
    if has_module_perm(user, "appointments", Action.VIEW):
        qs = Appointment.objects.visible_to(user).select_related("type")
        sources.append(("appointment", 1, "targets__at", qs))
    if has_module_perm(user, "tasks", Action.VIEW):
        qs = Task.objects.visible_to(user).select_related("assignee")
        sources.append(("task", 2, "targets__at", qs))
    if has_module_perm(user, "notes", Action.VIEW):
        qs = Note.objects.visible_to(user).select_related("owner")
        sources.append(("note", 3, "targets__at", qs))
    if has_module_perm(user, "followups", Action.VIEW):
        qs = FollowUp.objects.visible_to(user).filter(party=party).select_related("owner")
        sources.append(("followup", 4, "followed_up_at", qs))
    if has_module_perm(user, "attachments", Action.VIEW):
        # The party is visible (the caller checked), so the files on it are too.
        qs = Attachment.objects.filter(
            pk__in=AttachmentTarget.objects.filter(party=party).values("attachment_id")
        ).select_related("owner")
        sources.append(("file", 5, "created_at", qs))
    sources.append(("history", 6, "history_date", party.history.select_related("history_user")))
    return sources


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


def page(user, party, cursor="", per_page=PAGE, kinds=None):
    """(items, next cursor or "") for `party` as `user` sees it."""
    after = decode_cursor(cursor) if cursor else None
    items = []
    for kind, rank, field, qs in _sources(user, party):
        if kinds and kind not in kinds:
            continue
        pk = "history_id" if kind == "history" else "pk"
        if field == "targets__at":
            # One filter() call: the party and the time condition share the same target row.
            qs = qs.filter(Q(targets__party=party) & _after(field, rank, after)).annotate(
                timeline_at=F(field)
            )
        else:
            qs = qs.filter(_after(field, rank, after)).annotate(timeline_at=F(field))
        rows = list(qs.order_by(f"-{field}", f"-{pk}")[: per_page + 1])
        if kind == "history":
            for i, rec in enumerate(rows):
                prev = rows[i + 1] if i + 1 < len(rows) else None
                items.append(
                    Item(
                        kind,
                        rec.history_date,
                        rank,
                        rec.history_id,
                        rec,
                        _history_changes(rec, prev),
                    )
                )
        else:
            items += [Item(kind, r.timeline_at, rank, r.pk, r) for r in rows]
    items.sort(key=lambda i: i.key, reverse=True)
    next_cursor = encode_cursor(items[per_page - 1]) if len(items) > per_page else ""
    items = items[:per_page]
    _step_counts(items)
    return items, next_cursor


def _step_counts(items):
    """(done, total) steps of the tasks shown, in one query."""

    tasks = {i.pk: i.obj for i in items if i.kind == "task"}
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
