"""Business verbs for activities. Views and the API call these; nothing else writes.

Each is atomic, takes a keyword-only `acting_user`, checks permission, records who did it
in the history and runs side effects (email to a customer) after commit.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitra.core.events import record_event
from mitra.core.files import detect_content_type
from mitra.core.policy import Action, can, has_module_perm, require

from . import attachables
from .models import (
    OPEN_STATUSES,
    Appointment,
    AppointmentTarget,
    Attachment,
    AttachmentTarget,
    Channel,
    Direction,
    FollowUp,
    Interaction,
    InteractionTarget,
    News,
    Note,
    NoteRecipient,
    NoteTarget,
    Task,
    TaskStatus,
    TaskStep,
    TaskTarget,
)

log = logging.getLogger(__name__)


def _require_module(user, module, action):
    if not has_module_perm(user, module, action):
        raise PermissionDenied


def _visible_parties(user, parties, linked=()):
    """The parties of `parties` that `user` may see; PermissionDenied if any is hidden.

    `linked`: ids of the parties the record is already about. A person a record is shared
    with may not see its party, yet keeps the link when saving the record (shared records)."""
    from mitra.parties.models import Party

    parties = [p for p in parties if p is not None]
    if not parties:
        return []
    ids = {p.pk for p in parties} - set(linked)
    seen = set(Party.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise PermissionDenied
    unique = {}
    for p in parties:
        unique.setdefault(p.pk, p)
    return list(unique.values())


def _set_fields(obj, values, allowed):
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(obj, name, value)


def linked_party_ids(target_model, fk_name, obj):
    """Ids of the parties `obj` is about now."""
    if not obj.pk:
        return set()
    return set(
        target_model.objects.filter(**{fk_name: obj, "party__isnull": False}).values_list(
            "party_id", flat=True
        )
    )


def _sync_party_targets(target_model, fk_name, obj, parties, at):
    """Make `obj`'s party targets exactly `parties`, all at time `at` on the timeline."""
    current = set(target_model.objects.filter(**{fk_name: obj}).values_list("party_id", flat=True))
    wanted = {p.pk for p in parties}
    if current - wanted:
        target_model.objects.filter(**{fk_name: obj}, party_id__in=current - wanted).delete()
    target_model.objects.filter(**{fk_name: obj}).exclude(at=at).update(at=at)
    target_model.objects.bulk_create(
        [target_model(**{fk_name: obj, "party_id": pk, "at": at}) for pk in wanted - current]
    )


def _link_new(event, obj, target_model, parties, at, *, acting_user):
    """Link a new activity to `parties` (at time `at` on their timelines) and write its
    `event`, shown on the first party's timeline."""
    target_model.objects.bulk_create(
        [target_model(**{target_model.activity: obj}, party=p, at=at) for p in parties]
    )
    record_event(event, obj, acting_user=acting_user, party=parties[0] if parties else None)


def _relink_parties(target_model, obj, parties, at, *, acting_user):
    """Make `obj` about `parties` (those newly named must be visible to `acting_user`)."""
    fk_name = target_model.activity
    linked = linked_party_ids(target_model, fk_name, obj)
    wanted = _visible_parties(acting_user, parties, linked)
    _sync_party_targets(target_model, fk_name, obj, wanted, at)


def _record_updated(obj, kind, values, *, acting_user):
    """The `<kind>.updated` event of an activity, naming the fields that were set."""
    record_event(
        f"{kind}.updated",
        obj,
        acting_user=acting_user,
        party=_party_of(obj),
        payload={"fields": sorted(values)},
    )


def _save_status(obj, kind, status, update_fields, *, acting_user):
    """Save an activity's new `status` (and the fields that follow it), and say so."""
    obj._history_user = acting_user
    obj.save(update_fields=[*update_fields, "updated_at"])
    record_event(
        f"{kind}.status_changed",
        obj,
        acting_user=acting_user,
        party=_party_of(obj),
        payload={"status": status},
    )
    return obj


def _delete_activity(obj, kind, *, acting_user):
    """Delete an activity and its files; the event is written first, while its parties
    are still linked to it."""
    record_event(f"{kind}.deleted", obj, acting_user=acting_user, party=_party_of(obj))
    _delete_files_of(**{kind: obj})
    obj._history_user = acting_user
    obj.delete()


def _full_clean(obj, exclude=()):
    obj.full_clean(exclude=["owner", "team", *exclude], validate_unique=False)


# -- interactions (C1) ----------------------------------------------------------------------

INTERACTION_FIELDS = [
    "subject",
    "user",
    "channel",
    "direction",
    "occurred_at",
    "products",
    "result",
    "reason",
    "medium",
    "notes",
    "is_private",
    "team",
]


def _party_of(obj):
    """The (first) party an activity is about: its events show on that party's timeline."""
    if hasattr(obj, "party_id"):
        return obj.party_id
    return obj.targets.order_by("pk").values_list("party_id", flat=True).first()


@transaction.atomic
def log_interaction(*, acting_user, parties=(), **values):
    """Record a contact with one or more parties."""
    _require_module(acting_user, "interactions", Action.CREATE)
    parties = _visible_parties(acting_user, parties)
    interaction = Interaction(owner=acting_user, user=acting_user)
    _set_fields(interaction, values, INTERACTION_FIELDS)
    _full_clean(interaction)
    interaction._history_user = acting_user
    interaction.save()
    _link_new(
        "interaction.logged",
        interaction,
        InteractionTarget,
        parties,
        interaction.occurred_at,
        acting_user=acting_user,
    )
    return interaction


@transaction.atomic
def update_interaction(interaction, *, acting_user, parties=None, **values):
    require(acting_user, Action.EDIT, interaction)
    _set_fields(interaction, values, INTERACTION_FIELDS)
    _full_clean(interaction)
    interaction._history_user = acting_user
    interaction.save()
    if parties is None:
        InteractionTarget.objects.filter(interaction=interaction).update(at=interaction.occurred_at)
    else:
        _relink_parties(
            InteractionTarget,
            interaction,
            parties,
            interaction.occurred_at,
            acting_user=acting_user,
        )
    _record_updated(interaction, "interaction", values, acting_user=acting_user)
    return interaction


@transaction.atomic
def delete_interaction(interaction, *, acting_user):
    require(acting_user, Action.DELETE, interaction)
    _delete_activity(interaction, "interaction", acting_user=acting_user)


def log_sent_email(message):
    """mitra.mail's sent hook: an outgoing email Interaction on the message's party.

    Runs in the worker after a successful send; the message knows its party and the user
    who queued it (if any). Idempotent per message: a second call for the same message
    (a worker run twice) logs nothing new.
    """
    party = getattr(message, "party", None)
    if party is None:
        return None
    user = getattr(message, "acting_user", None) or getattr(message, "created_by", None)
    if user is None:
        user = party.owner
    subject = (getattr(message, "subject", "") or _("Email"))[:255]
    marker = f"[mail:{getattr(message, 'pk', '')}]"
    existing = Interaction.objects.filter(
        channel=Channel.EMAIL, notes__startswith=marker, targets__party=party
    ).first()
    if existing:
        return existing
    recipients = getattr(message, "to", "") or ""
    if isinstance(recipients, (list, tuple)):
        recipients = ", ".join(recipients)
    with transaction.atomic():
        interaction = Interaction(
            owner=user,
            team=party.team,
            user=user,
            subject=subject,
            channel=Channel.EMAIL,
            direction=Direction.OUT,
            occurred_at=getattr(message, "sent_at", None) or timezone.now(),
            notes=f"{marker} {_('Sent to %(to)s.') % {'to': recipients}}".strip(),
        )
        interaction._history_user = user
        interaction.save()
        InteractionTarget.objects.create(
            interaction=interaction, party=party, at=interaction.occurred_at
        )
    return interaction


# -- follow-ups (C3) ------------------------------------------------------------------------


@transaction.atomic
def record_followup(
    party,
    *,
    acting_user,
    result,
    next_date=None,
    led_to_sale=False,
    followed_up_at=None,
    interaction=None,
):
    """Add a follow-up to `party`'s chain; it becomes the current one."""
    _require_module(acting_user, "followups", Action.CREATE)
    _visible_parties(acting_user, [party])
    from mitra.parties.models import Party

    # Lock the party row so two follow-ups recorded at once still make one chain.
    Party.all_objects.select_for_update().filter(pk=party.pk).first()
    previous = FollowUp.objects.filter(party=party, is_current=True).order_by("-pk").first()
    followup = FollowUp(
        party=party,
        owner=acting_user,
        team=party.team,
        result=result,
        next_date=next_date,
        led_to_sale=led_to_sale,
        followed_up_at=followed_up_at or timezone.now(),
        interaction=interaction,
        previous=previous,
    )
    _full_clean(followup, exclude=["previous", "interaction", "party"])
    if previous is not None:
        FollowUp.objects.filter(party=party, is_current=True).update(is_current=False)
    followup._history_user = acting_user
    followup.save()
    record_event("followup.recorded", followup, acting_user=acting_user, party=party)
    return followup


@transaction.atomic
def update_followup(followup, *, acting_user, **values):
    require(acting_user, Action.EDIT, followup)
    _set_fields(followup, values, ["result", "next_date", "led_to_sale", "followed_up_at"])
    _full_clean(followup, exclude=["previous", "interaction", "party"])
    followup._history_user = acting_user
    followup.save()
    record_event(
        "followup.updated", followup, acting_user=acting_user, payload={"fields": sorted(values)}
    )
    return followup


@transaction.atomic
def delete_followup(followup, *, acting_user):
    """Remove a follow-up and mend the chain around it."""
    require(acting_user, Action.DELETE, followup)
    record_event("followup.deleted", followup, acting_user=acting_user)
    successor = FollowUp.objects.filter(previous=followup).first()
    previous = followup.previous
    was_current = followup.is_current
    followup._history_user = acting_user
    followup.delete()
    if successor is not None:
        successor.previous = previous
        successor.save(update_fields=["previous", "updated_at"])
    elif was_current and previous is not None:
        FollowUp.objects.filter(pk=previous.pk).update(is_current=True)


def followup_effectiveness(queryset):
    """(total, led to a sale, share 0–100 or None) over `queryset`."""
    from django.db.models import Count

    agg = queryset.aggregate(total=Count("id"), won=Count("id", filter=Q(led_to_sale=True)))
    total, won = agg["total"], agg["won"]
    return total, won, (round(100 * won / total, 1) if total else None)


# -- appointments (C4) ----------------------------------------------------------------------

APPOINTMENT_FIELDS = [
    "type",
    "subject",
    "place",
    "start",
    "end",
    "all_day",
    "status",
    "description",
    "reminder_minutes",
    "is_private",
    "team",
]


def conflicts(users, start, end, exclude=None):
    """{user: [appointments]} for `users` already busy between `start` and `end`.

    Deliberately not scoped by visibility: a clash with someone's private meeting is
    reported (as "busy"), but views show only what the viewer may see of it.
    """
    users = [u for u in users if u is not None]
    if not users or not start or not end:
        return {}
    through = Appointment.participants.through
    user_ids = [u.pk for u in users]
    busy_ids = through.objects.filter(user_id__in=user_ids).values("appointment_id")
    qs = (
        Appointment.objects.active()
        .overlapping(start, end)
        .filter(Q(pk__in=busy_ids) | Q(owner_id__in=user_ids))
        .prefetch_related("participants")
        .order_by("start")
    )
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    out = {}
    by_id = {u.pk: u for u in users}
    for appt in qs[:50]:
        involved = {p.pk for p in appt.participants.all()} | {appt.owner_id}
        for uid in involved & set(by_id):
            out.setdefault(by_id[uid], []).append(appt)
    return out


@transaction.atomic
def create_appointment(*, acting_user, participants=(), parties=(), **values):
    _require_module(acting_user, "appointments", Action.CREATE)
    parties = _visible_parties(acting_user, parties)
    appt = Appointment(owner=acting_user)
    _set_fields(appt, values, APPOINTMENT_FIELDS)
    _full_clean(appt)
    appt._history_user = acting_user
    appt.save()
    appt.participants.set(list(participants) or [acting_user])
    _link_new(
        "appointment.created", appt, AppointmentTarget, parties, appt.start, acting_user=acting_user
    )
    return appt


@transaction.atomic
def update_appointment(appt, *, acting_user, participants=None, parties=None, **values):
    require(acting_user, Action.EDIT, appt)
    _set_fields(appt, values, APPOINTMENT_FIELDS)
    _full_clean(appt)
    appt._history_user = acting_user
    appt.save()
    if participants is not None:
        appt.participants.set(list(participants))
    if parties is None:
        AppointmentTarget.objects.filter(appointment=appt).update(at=appt.start)
    else:
        _relink_parties(AppointmentTarget, appt, parties, appt.start, acting_user=acting_user)
    _record_updated(appt, "appointment", values, acting_user=acting_user)
    return appt


def move_appointment(appt, *, acting_user, start, end=None):
    """Move to a new start (keeping the length unless `end` is given): calendar drag."""
    end = end or start + (appt.end - appt.start)
    return update_appointment(appt, acting_user=acting_user, start=start, end=end)


@transaction.atomic
def delete_appointment(appt, *, acting_user):
    require(acting_user, Action.DELETE, appt)
    _delete_activity(appt, "appointment", acting_user=acting_user)


# -- tasks (C5) -----------------------------------------------------------------------------

TASK_FIELDS = [
    "title",
    "description",
    "status",
    "assignee",
    "team",
    "due_at",
    "priority",
    "notify_customer",
    "is_private",
]


@transaction.atomic
def create_task(*, acting_user, parties=(), steps=(), **values):
    _require_module(acting_user, "tasks", Action.CREATE)
    parties = _visible_parties(acting_user, parties)
    task = Task(owner=acting_user)
    _set_fields(task, values, TASK_FIELDS + ["rework_of"])
    if task.status == TaskStatus.IN_PROGRESS:
        task.started_at = timezone.now()
    _full_clean(task, exclude=["rework_of"])
    task._history_user = acting_user
    task.save()
    TaskStep.objects.bulk_create(
        [TaskStep(task=task, title=s[:255], order=i) for i, s in enumerate(steps) if s.strip()]
    )
    _link_new("task.created", task, TaskTarget, parties, task.created_at, acting_user=acting_user)
    return task


@transaction.atomic
def update_task(task, *, acting_user, parties=None, **values):
    require(acting_user, Action.EDIT, task)
    status = values.pop("status", None)
    assignee_was = task.assignee_id
    _set_fields(task, values, TASK_FIELDS)
    _full_clean(task, exclude=["rework_of"])
    task._history_user = acting_user
    task.save()
    if parties is not None:
        _relink_parties(TaskTarget, task, parties, task.created_at, acting_user=acting_user)
    _record_updated(task, "task", values, acting_user=acting_user)
    if task.assignee_id != assignee_was:
        record_event(
            "task.assigned",
            task,
            acting_user=acting_user,
            party=_party_of(task),
            payload={"assignee": str(task.assignee or "")},
        )
    if status and status != task.status:
        set_task_status(task, status, acting_user=acting_user)
    return task


@transaction.atomic
def set_task_status(task, status, *, acting_user):
    """Move a task to another status (the board's drag). Done closes it as a success."""
    require(acting_user, Action.EDIT, task)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        return close_task(task, acting_user=acting_user, result=task.result or Task.Result.OK)
    if status == TaskStatus.CANCELLED and task.status != TaskStatus.CANCELLED:
        return close_task(task, acting_user=acting_user, cancel=True)
    now = timezone.now()
    task.status = status
    if status == TaskStatus.IN_PROGRESS and not task.started_at:
        task.started_at = now
    if status in OPEN_STATUSES:
        task.closed_at = None
    return _save_status(
        task, "task", status, ["status", "started_at", "closed_at"], acting_user=acting_user
    )


@transaction.atomic
def close_task(task, *, acting_user, result=Task.Result.OK, note="", cancel=False):
    """Close `task` as done (ok or failed) or cancelled.

    A failed result opens a rework task at once (same assignee, team, parties and steps,
    linked by `rework_of`). When the task asks for it, the customer is emailed after commit.
    Returns the closed task; the rework task, if any, is `task.rework`.
    """
    require(acting_user, Action.EDIT, task)
    if not cancel and result not in (Task.Result.OK, Task.Result.FAILED):
        raise ValidationError({"result": _("Choose whether the task succeeded or failed.")})
    if not task.is_open:
        raise ValidationError(_("This task is already closed."))
    now = timezone.now()
    task.status = TaskStatus.CANCELLED if cancel else TaskStatus.DONE
    task.result = "" if cancel else result
    if note:
        task.result_note = note
    task.closed_at = now
    task._history_user = acting_user
    task.save()
    record_event(
        "task.closed",
        task,
        acting_user=acting_user,
        party=_party_of(task),
        payload={"status": task.status, "result": task.result},
    )
    task.rework = None
    if not cancel and result == Task.Result.FAILED:
        task.rework = _create_rework(task, acting_user)
    if not cancel and task.notify_customer:
        _notify_customer(task, acting_user)
    return task


def _create_rework(task, acting_user):
    due = None
    if task.due_at:
        length = task.due_at - (task.started_at or task.created_at)
        due = timezone.now() + max(length, timezone.timedelta(days=1))
    rework = Task(
        owner=acting_user,
        team=task.team,
        title=(_("Rework: %(title)s") % {"title": task.title})[:255],
        description=task.description,
        assignee=task.assignee,
        priority=task.priority,
        due_at=due,
        notify_customer=task.notify_customer,
        is_private=task.is_private,
        rework_of=task,
    )
    if task.result_note:
        rework.description = (
            f"{task.result_note}\n\n{task.description}" if task.description else task.result_note
        )
    rework._history_user = acting_user
    rework.save()
    TaskTarget.objects.bulk_create(
        [
            TaskTarget(task=rework, party_id=t.party_id, at=rework.created_at)
            for t in task.targets.all()
        ]
    )
    TaskStep.objects.bulk_create(
        [TaskStep(task=rework, title=s.title, order=s.order) for s in task.steps.all()]
    )
    return rework


def _party_email(party):
    from mitra.parties.models import ContactPoint

    cp = (
        ContactPoint.objects.filter(party=party, kind=ContactPoint.Kind.EMAIL)
        .order_by("-is_primary", "pk")
        .first()
    )
    return cp.value if cp else ""


def _notify_customer(task, acting_user):
    """Queue an email to each party of the task (through mitra.mail, after commit)."""
    if not apps.is_installed("mitra.mail"):
        log.info("mitra.mail is not installed; task %s: no customer email", task.pk)
        return
    from mitra.mail.outbox import queue_email

    for target in task.targets.select_related("party"):
        party = target.party
        address = party and _party_email(party)
        if not address:
            continue
        if task.result == Task.Result.FAILED:
            subject = _("Update on your request: %(title)s") % {"title": task.title}
            body = _(
                "Dear %(name)s,\n\nWe have worked on “%(title)s” and need a little more "
                "time to finish it. We will be in touch soon.\n\n%(sender)s"
            )
        else:
            subject = _("Completed: %(title)s") % {"title": task.title}
            body = _("Dear %(name)s,\n\n“%(title)s” has been completed.\n\n%(sender)s")
        body = body % {"name": party.full_name, "title": task.title, "sender": acting_user}

        def send(address=address, subject=subject, body=body, party=party):
            queue_email(
                to=address, subject=subject, body=body, party=party, acting_user=acting_user
            )

        transaction.on_commit(send)


@transaction.atomic
def add_step(task, title, *, acting_user):
    require(acting_user, Action.EDIT, task)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write what the step is.")})
    last = task.steps.order_by("-order").values_list("order", flat=True).first()
    return TaskStep.objects.create(task=task, title=title[:255], order=(last or 0) + 1)


@transaction.atomic
def toggle_step(step, *, acting_user):
    require(acting_user, Action.EDIT, step.task)
    step.done = not step.done
    step.done_at = timezone.now() if step.done else None
    step.done_by = acting_user if step.done else None
    step.save(update_fields=["done", "done_at", "done_by"])
    return step


@transaction.atomic
def delete_step(step, *, acting_user):
    require(acting_user, Action.EDIT, step.task)
    step.delete()


@transaction.atomic
def delete_task(task, *, acting_user):
    require(acting_user, Action.DELETE, task)
    _delete_activity(task, "task", acting_user=acting_user)


# -- notes (C6) -----------------------------------------------------------------------------


@transaction.atomic
def create_note(*, acting_user, body, title="", recipients=(), parties=(), **values):
    """A personal note, or one sent to colleagues (each gets an unread marker)."""
    _require_module(acting_user, "notes", Action.CREATE)
    parties = _visible_parties(acting_user, parties)
    note = Note(owner=acting_user, title=title, body=body)
    _set_fields(note, values, ["remind_on", "is_private", "team"])
    _full_clean(note)
    note._history_user = acting_user
    note.save()
    NoteRecipient.objects.bulk_create(
        [NoteRecipient(note=note, user=u) for u in {u.pk: u for u in recipients}.values()
         if u.pk != acting_user.pk]
    )  # fmt: skip
    _link_new("note.created", note, NoteTarget, parties, note.created_at, acting_user=acting_user)
    return note


@transaction.atomic
def update_note(note, *, acting_user, recipients=None, **values):
    require(acting_user, Action.EDIT, note)
    if note.owner_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied  # recipients read and close, they do not rewrite
    _set_fields(note, values, ["title", "body", "remind_on", "is_private", "team"])
    _full_clean(note)
    note._history_user = acting_user
    note.save()
    _record_updated(note, "note", values, acting_user=acting_user)
    if recipients is not None:
        wanted = {u.pk for u in recipients} - {note.owner_id}
        current = set(note.deliveries.values_list("user_id", flat=True))
        note.deliveries.filter(user_id__in=current - wanted).delete()
        NoteRecipient.objects.bulk_create(
            [NoteRecipient(note=note, user_id=pk) for pk in wanted - current]
        )
    return note


def mark_note_read(note, *, acting_user):
    """Clear `acting_user`'s unread marker on `note` (no-op for others)."""
    return NoteRecipient.objects.filter(note=note, user=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_note_status(note, status, *, acting_user):
    """Close or reopen a note: its owner or a recipient may."""
    involved = note.owner_id == acting_user.pk or note.deliveries.filter(user=acting_user).exists()
    if not (involved or can(acting_user, Action.EDIT, note)):
        raise PermissionDenied
    if status not in Note.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    note.status = status
    note.closed_at = timezone.now() if status == Note.Status.CLOSED else None
    return _save_status(note, "note", status, ["status", "closed_at"], acting_user=acting_user)


@transaction.atomic
def delete_note(note, *, acting_user):
    require(acting_user, Action.DELETE, note)
    if note.owner_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    _delete_activity(note, "note", acting_user=acting_user)


# -- news (C7) ------------------------------------------------------------------------------

NEWS_FIELDS = ["kind", "title", "body", "audience_team", "published_at", "event_at", "place"]


@transaction.atomic
def post_news(*, acting_user, **values):
    _require_module(acting_user, "news", Action.CREATE)
    team = values.get("audience_team")
    # Posting to a team one is not on needs the right to see teams (managers, admins).
    if (
        team is not None
        and not acting_user.is_superuser
        and team.pk not in acting_user.team_ids()
        and not has_module_perm(acting_user, "teams", Action.VIEW)
    ):
        raise PermissionDenied
    news = News(owner=acting_user)
    _set_fields(news, values, NEWS_FIELDS)
    _full_clean(news)
    news._history_user = acting_user
    news.save()
    record_event("news.posted", news, acting_user=acting_user)
    return news


@transaction.atomic
def update_news(news, *, acting_user, **values):
    require(acting_user, Action.EDIT, news)
    if news.owner_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    _set_fields(news, values, NEWS_FIELDS)
    _full_clean(news)
    news._history_user = acting_user
    news.save()
    record_event("news.updated", news, acting_user=acting_user, payload={"fields": sorted(values)})
    return news


@transaction.atomic
def delete_news(news, *, acting_user):
    require(acting_user, Action.DELETE, news)
    record_event("news.deleted", news, acting_user=acting_user)
    if news.owner_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    news._history_user = acting_user
    news.delete()


# -- attachments (C9) -----------------------------------------------------------------------


def _record_of(record):
    """(kind, object) from a one-item dict like {"task": task}; the kind is registered in
    `attachables`."""
    items = [(k, v) for k, v in record.items() if v is not None]
    if len(items) != 1 or attachables.get(items[0][0]) is None:
        names = ", ".join(k.kind for k in attachables.kinds())
        raise TypeError("attach to exactly one of: " + names)
    return items[0]


def can_attach(user, obj, kind=None):
    """May `user` add files to (or remove them from) `obj`, attached as `kind` (by default
    the first kind registered for its model): the attachments right and the kind's own rule
    (editing the record; for a party or a note, seeing it is enough)."""
    if not has_module_perm(user, "attachments", Action.CREATE):
        return False
    k = attachables.get(kind) if kind else attachables.kind_of(obj)
    return k is not None and isinstance(obj, k.model) and k.allowed(user, obj)


def _may_attach_to_party(user, party):
    from mitra.parties.models import Party

    return Party.objects.visible_to(user).filter(pk=party.pk).exists()


def _may_attach_to_note(user, note):
    return note.owner_id == user.pk or note.deliveries.filter(user=user).exists()


def register_builtin_attachables():
    """The records of this app and the party, through the same registry a later app uses."""
    from django.urls import reverse

    from mitra.parties.models import Party

    def detail(name):
        return lambda obj: reverse(f"activities:{name}_detail", args=[obj.public_id])

    def party_url(party):
        return reverse("parties:detail", args=[party.public_id]) + "?tab=attachments"

    reg = attachables.register_attachable
    reg("party", Party, AttachmentTarget, "party", url=party_url, may_attach=_may_attach_to_party)
    reg("interaction", Interaction, AttachmentTarget, "interaction", url=detail("interaction"))
    reg("task", Task, AttachmentTarget, "task", url=detail("task"))
    reg("appointment", Appointment, AttachmentTarget, "appointment", url=detail("appointment"))
    reg("note", Note, AttachmentTarget, "note", url=detail("note"), may_attach=_may_attach_to_note)


def records_of(att):
    """(kind, record) for each record `att` is attached to (every registered kind)."""
    out = []
    for k in attachables.kinds():
        for link in k.links(attachment=att).select_related(k.field):
            out.append((k.kind, getattr(link, k.field)))
    return out


@transaction.atomic
def add_attachment(upload, *, acting_user, description="", **record):
    """Store `upload` on one record (party=…, interaction=…, task=…, appointment=…, note=…)."""
    name, obj = _record_of(record)
    if not can_attach(acting_user, obj, name):
        raise PermissionDenied
    limit = settings.MAX_ATTACHMENT_SIZE
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    original = (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    att = Attachment(
        owner=acting_user,
        team=getattr(obj, "team", None),
        name=original[:255],
        size=upload.size,
        content_type=detect_content_type(upload, original),
        description=description[:255],
    )
    att._history_user = acting_user
    att.file.save(get_valid_filename(original)[-150:] or "file", upload, save=False)
    stored = att.file.name
    try:
        att.save()
        kind = attachables.get(name)
        kind.through.objects.create(attachment=att, **{kind.field: obj})
    except Exception:
        default_storage.delete(stored)
        raise
    return att


@transaction.atomic
def delete_attachment(att, *, acting_user):
    """Remove a file: its uploader, or someone who may edit the record it is on."""
    allowed = att.owner_id == acting_user.pk or any(
        can_attach(acting_user, record, kind) for kind, record in records_of(att)
    )
    if not allowed or not has_module_perm(acting_user, "attachments", Action.DELETE):
        raise PermissionDenied
    name = att.file.name
    att._history_user = acting_user
    att.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


def _delete_files_of(**record):
    """Delete the files attached only to this record (the caller deletes the record)."""
    ((kind, obj),) = record.items()
    k = attachables.get(kind)
    ids = set(k.links(**{k.field: obj}).values_list("attachment_id", flat=True))
    if not ids:
        return
    shared = set()
    for other in attachables.kinds():
        links = other.links(attachment_id__in=ids)
        if other.through is k.through:
            links = links.exclude(**{k.field: obj})
        shared |= set(links.values_list("attachment_id", flat=True))
    doomed = Attachment.objects.filter(pk__in=ids - shared)
    names = [a.file.name for a in doomed]
    doomed.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


# -- party deletion (A16) -------------------------------------------------------------------


def delete_party_files(party):
    """A party deleted for good takes the files kept only on it (a purge hook)."""
    _delete_files_of(party=party)


def party_delete_blocker(party):
    """Activities about a party keep it from being deleted for good (it may go to the
    trash): the reason names each kind of record and how many."""

    def count(model, column):
        return model.objects.filter(party=party).values(column).distinct().count()

    things = []
    if n := count(InteractionTarget, "interaction_id"):
        things.append(ngettext("%(n)d interaction", "%(n)d interactions", n) % {"n": n})
    if n := count(FollowUp, "pk"):
        things.append(ngettext("%(n)d follow-up", "%(n)d follow-ups", n) % {"n": n})
    if n := count(TaskTarget, "task_id"):
        things.append(ngettext("%(n)d task", "%(n)d tasks", n) % {"n": n})
    if n := count(AppointmentTarget, "appointment_id"):
        things.append(ngettext("%(n)d appointment", "%(n)d appointments", n) % {"n": n})
    if n := count(NoteTarget, "note_id"):
        things.append(ngettext("%(n)d note", "%(n)d notes", n) % {"n": n})
    if not things:
        return None
    return _("Activities refer to it: %(things)s.") % {"things": ", ".join(things)}
