"""Activities: everything people do with and for customers (C1–C7, C9).

Interactions, follow-ups, appointments, tasks, notes, organisation news and attachments.
Activities attach to records through explicit target rows with real foreign keys
(`InteractionTarget`, `TaskTarget`, …), never generic relations, so a party's timeline is
a handful of indexed joins and a purge cascades cleanly.

Visibility: the usual owner / team scope, widened to the people an activity involves
(the user who made a contact, an assignee, participants, recipients) and narrowed by
`is_private` (a private activity is seen only by its owner and the people it involves).
"""

import os
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mitra.core.models import (
    Lookup,
    TrackedModel,
)
from mitra.core.policy import Scope, VisibleQuerySet, has_module_perm, scope_of


def _team_q(user, owner_field="owner", team_field="team"):
    """Records owned by someone on one of `user`'s teams, or shared with one of them.

    Subqueries (not id lists) so that reading costs no extra queries for the teams.
    """
    from mitra.users.models import Team

    membership = Team.members.through.objects
    my_teams = membership.filter(user=user).values("team_id")
    q = Q(**{f"{owner_field}__in": membership.filter(team_id__in=my_teams).values("user_id")})
    if team_field:
        q |= Q(**{f"{team_field}__in": my_teams})
    return q


def activity_scope_q(user, scope, involved=None):
    """Own, involving the user, or (team scope) the team's activities that are not private."""
    q = Q(owner=user)
    if involved is not None:
        q |= involved
    if scope == Scope.TEAM:
        q |= Q(is_private=False) & _team_q(user)
    return q


def activity_scope_q_no_private(user, scope):
    """Own, or (team scope) the team's: for records that have no private flag."""
    q = Q(owner=user)
    if scope == Scope.TEAM:
        q |= _team_q(user)
    return q


def exactly_one(fields):
    """A condition true when exactly one of `fields` is not null (portable to every engine)."""
    conditions = []
    for name in fields:
        cond = Q(**{f"{name}__isnull": False})
        for other in fields:
            if other != name:
                cond &= Q(**{f"{other}__isnull": True})
        conditions.append(cond)
    return reduce(or_, conditions)


# -- the parties an activity is about --------------------------------------------------------


def target_party(related_name):
    """The `party` column of a target row: nullable, so a target row can later point at
    another kind of record instead (`exactly_one` keeps one set)."""
    return models.ForeignKey(
        "parties.Party", on_delete=models.CASCADE, null=True, blank=True,
        related_name=related_name,
    )  # fmt: skip


class PartyTarget(models.Model):
    """A party an activity is about (abstract). A subclass names its activity in
    `activity`, adds that foreign key and a `target_party(...)`, and takes its Meta
    `constraints` and `indexes` from `target_constraints` / `target_indexes`."""

    activity = ""

    # The activity's time on the party's timeline, copied here so a timeline page is one
    # range scan of (party, at) however many activities the owner has elsewhere.
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, f'{self.activity}_id')} → party {self.party_id}"


def target_constraints(activity):
    """One party per row, and a party at most once per activity."""
    return [
        models.CheckConstraint(condition=exactly_one(["party"]), name=f"{activity}target_one"),
        models.UniqueConstraint(fields=[activity, "party"], name=f"{activity}target_unique"),
    ]


def target_indexes(activity):
    """The party timeline: party = X, newest first."""
    return [models.Index(fields=["party", "-at", activity], name=f"{activity}target_party_idx")]


# -- configurable codes ---------------------------------------------------------------------


class LookupKind(models.TextChoices):
    """The code lists of the activities (rows of `core.Lookup` with module "interactions")."""

    RESULT = "result", _("Interaction result")
    REASON = "reason", _("Reason / problem type")
    MEDIUM = "medium", _("Advertising medium")
    APPOINTMENT_TYPE = "appointment_type", _("Appointment type")


LOOKUP_MODULE = "interactions"


def lookup_field(verbose_name, kind):
    """An optional choice from this module's configurable codes of `kind` (`Lookup`)."""
    return models.ForeignKey(
        Lookup, verbose_name=verbose_name, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", limit_choices_to={"module": LOOKUP_MODULE, "kind": kind},
    )  # fmt: skip


# -- interactions (C1, C2) ------------------------------------------------------------------


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    VISIT = "visit", _("Visit")
    FAX = "fax", _("Fax")
    CHAT = "chat", _("Chat")
    WEB = "web", _("Web")
    LETTER = "letter", _("Letter")


CHANNEL_ICONS = {
    "phone": "phone",
    "email": "mail",
    "sms": "message",
    "visit": "walk",
    "fax": "printer",
    "chat": "messages",
    "web": "world",
    "letter": "mailbox",
}


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class InteractionQuerySet(VisibleQuerySet):
    def for_party(self, party):
        """Interactions attached to `party`."""
        return self.filter(
            pk__in=InteractionTarget.objects.filter(party=party).values("interaction_id")
        )

    def between(self, start=None, end=None):
        """Occurred in [start, end)."""
        qs = self
        if start:
            qs = qs.filter(occurred_at__gte=start)
        if end:
            qs = qs.filter(occurred_at__lt=end)
        return qs


class Interaction(TrackedModel):
    """One contact with a customer: a call, an email, a visit … and what came of it."""

    policy_module = "interactions"

    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
        related_name="interactions",
    )  # fmt: skip
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.OUT
    )
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    # Free text until the catalogue exists; then a link to products joins it.
    products = models.CharField(_("products discussed"), max_length=255, blank=True)
    result = lookup_field(_("result"), LookupKind.RESULT)
    reason = lookup_field(_("reason / problem"), LookupKind.REASON)
    medium = lookup_field(_("advertising medium"), LookupKind.MEDIUM)
    notes = models.TextField(_("notes"), blank=True)
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Only you and the person who made it see it.")
    )

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            # The log, newest first, and the analysis over a period.
            models.Index(fields=["-occurred_at", "-id"], name="interaction_time_idx"),
            # Own-scope log and "by user" filters.
            models.Index(fields=["owner", "-occurred_at"], name="interaction_owner_idx"),
            models.Index(fields=["user", "-occurred_at"], name="interaction_user_idx"),
            # The channel filter.
            models.Index(fields=["channel", "-occurred_at"], name="interaction_channel_idx"),
        ]

    def __str__(self):
        return self.subject

    @classmethod
    def scope_q(cls, user, scope):
        return activity_scope_q(user, scope, Q(user=user))

    @property
    def icon(self):
        return CHANNEL_ICONS.get(self.channel, "message")


class InteractionTarget(PartyTarget):
    """A record an interaction is about. One column per kind of record; exactly one set."""

    activity = "interaction"

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="targets")
    party = target_party("interaction_targets")

    class Meta:
        verbose_name = _("interaction target")
        constraints = target_constraints("interaction")
        indexes = target_indexes("interaction")


# -- follow-ups (C3) ------------------------------------------------------------------------


class FollowUpQuerySet(VisibleQuerySet):
    def current(self):
        """The latest follow-up of each party's chain."""
        return self.filter(is_current=True)

    def due(self, on_or_before):
        """Current follow-ups whose next date has come."""
        return self.current().filter(next_date__isnull=False, next_date__lte=on_or_before)


class FollowUp(TrackedModel):
    """One step in following a lead or target (C3): what happened, and when to try next.

    Each party's follow-ups form a chain (`previous`); only the latest is `is_current`, and
    its `next_date` becomes a reminder.
    """

    policy_module = "followups"

    party = models.ForeignKey(
        "parties.Party", verbose_name=_("party"), on_delete=models.CASCADE,
        related_name="followups",
    )  # fmt: skip
    followed_up_at = models.DateTimeField(_("followed up"), default=timezone.now)
    result = models.TextField(_("result"))
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    led_to_sale = models.BooleanField(_("led to a sale / close"), default=False)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous follow-up"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="next_followup",
    )  # fmt: skip
    interaction = models.ForeignKey(
        Interaction, verbose_name=_("interaction"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="followups",
    )  # fmt: skip
    is_current = models.BooleanField(default=True, editable=False)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-followed_up_at", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # A party's chain, newest first.
            models.Index(fields=["party", "-followed_up_at"], name="followup_party_idx"),
            # Follow-ups due: current ones by next date (the reminders source).
            models.Index(fields=["is_current", "next_date"], name="followup_due_idx"),
            # The list and the effectiveness figures over a period, per owner.
            models.Index(fields=["owner", "-followed_up_at"], name="followup_owner_idx"),
        ]

    def __str__(self):
        return f"{self.party} · {self.result[:40]}"

    @classmethod
    def scope_q(cls, user, scope):
        return activity_scope_q_no_private(user, scope)


# -- appointments (C4) ----------------------------------------------------------------------


class AppointmentQuerySet(VisibleQuerySet):
    def overlapping(self, start, end):
        """Appointments that overlap [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def for_user(self, user):
        """Appointments `user` owns or takes part in."""
        return self.filter(
            Q(owner=user)
            | Q(
                pk__in=Appointment.participants.through.objects.filter(user=user).values(
                    "appointment_id"
                )
            )
        )

    def for_party(self, party):
        return self.filter(
            pk__in=AppointmentTarget.objects.filter(party=party).values("appointment_id")
        )

    def active(self):
        """Not cancelled."""
        return self.exclude(status=Appointment.Status.CANCELLED)


class Appointment(TrackedModel):
    """A meeting in the calendar: with whom, where, when; participants get reminded."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    policy_module = "appointments"

    type = lookup_field(_("type"), LookupKind.APPOINTMENT_TYPE)
    subject = models.CharField(_("subject"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True,
        related_name="appointments",
    )  # fmt: skip
    reminder_minutes = models.PositiveIntegerField(
        _("remind before (minutes)"), null=True, blank=True, default=15
    )
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Only you and the participants see it.")
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            # Calendar ranges and upcoming reminders: start BETWEEN …
            models.Index(fields=["start", "end"], name="appointment_range_idx"),
            # "Mine" in the calendar (own scope).
            models.Index(fields=["owner", "start"], name="appointment_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="appointment_end_after_start"
            )
        ]

    def clean(self):
        """The appointment's rules, for the form and the API alike (actions call full_clean)."""
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})

    def __str__(self):
        return self.subject

    @classmethod
    def scope_q(cls, user, scope):
        involved = Q(
            pk__in=Appointment.participants.through.objects.filter(user=user).values(
                "appointment_id"
            )
        )
        return activity_scope_q(user, scope, involved)

    @property
    def remind_at(self):
        if self.reminder_minutes is None:
            return None
        return self.start - timezone.timedelta(minutes=self.reminder_minutes)


class AppointmentTarget(PartyTarget):
    """A party (or later another record) an appointment is with."""

    activity = "appointment"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="targets")
    party = target_party("appointment_targets")

    class Meta:
        verbose_name = _("appointment target")
        constraints = target_constraints("appointment")
        indexes = target_indexes("appointment")


# -- tasks (C5) -----------------------------------------------------------------------------


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.WAITING)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class TaskPriority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class TaskQuerySet(VisibleQuerySet):
    def open(self):
        """Not done and not cancelled."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        """Open tasks whose due time has passed."""
        return self.open().filter(due_at__lt=now or timezone.now())

    def for_party(self, party):
        return self.filter(pk__in=TaskTarget.objects.filter(party=party).values("task_id"))


class Task(TrackedModel):
    """A piece of work with a status, an assignee, steps and a result (C5)."""

    class Result(models.TextChoices):
        NONE = "", _("Not set")
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    policy_module = "tasks"

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="assigned_tasks",
    )  # fmt: skip
    # The owner's `team` field, named for what it means on a task.
    team = models.ForeignKey(
        "users.Team", verbose_name=_("responsible team"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    result = models.CharField(
        _("result"), max_length=6, choices=Result.choices, blank=True, default=""
    )
    result_note = models.TextField(_("result notes"), blank=True)
    rework_of = models.ForeignKey(
        "self", verbose_name=_("rework of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reworks",
    )  # fmt: skip
    notify_customer = models.BooleanField(
        _("notify the customer by email when closed"), default=False
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Only you and the assignee see it.")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "-priority", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # "My tasks": assignee = me, open, by due date.
            models.Index(fields=["assignee", "status", "due_at"], name="task_assignee_idx"),
            # The board and overdue reminders: status, due date.
            models.Index(fields=["status", "due_at"], name="task_status_idx"),
            models.Index(fields=["owner", "status"], name="task_owner_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, scope):
        return activity_scope_q(user, scope, Q(assignee=user))

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())


class TaskStep(models.Model):
    """One line of a task's checklist."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title


class TaskTarget(PartyTarget):
    activity = "task"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    party = target_party("task_targets")

    class Meta:
        verbose_name = _("task target")
        constraints = target_constraints("task")
        indexes = target_indexes("task")


# -- notes (C6) -----------------------------------------------------------------------------


class NoteQuerySet(VisibleQuerySet):
    def active(self):
        return self.filter(status=Note.Status.ACTIVE)

    def received_by(self, user):
        return self.filter(pk__in=NoteRecipient.objects.filter(user=user).values("note_id"))

    def for_party(self, party):
        return self.filter(pk__in=NoteTarget.objects.filter(party=party).values("note_id"))


class Note(TrackedModel):
    """A reminder to oneself, or a note sent to colleagues (C6)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    policy_module = "notes"

    title = models.CharField(_("title"), max_length=255, blank=True)
    body = models.TextField(_("note"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    remind_on = models.DateField(_("remind me on"), null=True, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("send to"), through="NoteRecipient",
        blank=True, related_name="received_notes",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_private = models.BooleanField(
        _("private"), default=True, help_text=_("Only you and the recipients see it.")
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["owner", "status", "-created_at"], name="note_owner_idx")]

    def __str__(self):
        return self.title or self.body[:60]

    @classmethod
    def scope_q(cls, user, scope):
        received = Q(pk__in=NoteRecipient.objects.filter(user=user).values("note_id"))
        return activity_scope_q(user, scope, received)


class NoteRecipient(models.Model):
    """A colleague a note was sent to, and when they read it."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_deliveries"
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("note recipient")
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="noterecipient_unique")
        ]
        # "Received" and the unread count: user = me (and read_at IS NULL).
        indexes = [models.Index(fields=["user", "read_at"], name="noterecipient_user_idx")]

    def __str__(self):
        return f"{self.note_id} → {self.user_id}"


class NoteTarget(PartyTarget):
    activity = "note"

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="targets")
    party = target_party("note_targets")

    class Meta:
        verbose_name = _("note target")
        constraints = target_constraints("note")
        indexes = target_indexes("note")


# -- organisation news (C7) -----------------------------------------------------------------


class NewsQuerySet(VisibleQuerySet):
    def published(self, now=None):
        return self.filter(published_at__lte=now or timezone.now())

    def for_audience(self, user):
        """Posts addressed to everyone or to one of `user`'s teams."""
        from mitra.users.models import Team

        my_teams = Team.members.through.objects.filter(user=user).values("team_id")
        return self.filter(Q(audience_team__isnull=True) | Q(audience_team__in=my_teams))


class News(TrackedModel):
    """An organisation post: a meeting, an event or a rule, to everyone or one team (C7)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Event")
        RULE = "rule", _("Rule")
        OTHER = "other", pgettext_lazy("news kind", "Announcement")

    policy_module = "news"

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    audience_team = models.ForeignKey(
        "users.Team", verbose_name=_("audience"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="+", help_text=_("Empty: everyone."),
    )  # fmt: skip
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    event_at = models.DateTimeField(_("takes place"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news")
        indexes = [
            # The news list and the reminders source: newest first, per audience.
            models.Index(fields=["-published_at", "-id"], name="news_published_idx"),
            models.Index(fields=["audience_team", "-published_at"], name="news_audience_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, scope):
        # A post is for its audience whatever the record scope: that is what posting means.
        from mitra.users.models import Team

        my_teams = Team.members.through.objects.filter(user=user).values("team_id")
        return Q(owner=user) | Q(audience_team__isnull=True) | Q(audience_team__in=my_teams)


# -- attachments (C9) -----------------------------------------------------------------------


def attachment_path(instance, filename):
    return f"activities/attachments/{timezone.now():%Y/%m}/{instance.public_id}/{filename}"


TARGET_FIELDS = ["party", "interaction", "task", "appointment", "note"]


class AttachmentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Files on at least one record `user` may see (each record by its own policy;
        the records come from the `attachables` registry)."""
        if not has_module_perm(user, self.model.policy_module, "view"):
            return self.none()
        if scope_of(user) == Scope.ALL:
            return self
        from . import attachables

        seen = Q(pk__in=[])
        for through, kinds in attachables.through_tables().items():
            q = Q()
            for k in kinds:
                q |= Q(**{f"{k.field}__in": k.model.objects.visible_to(user).values("pk")})
            seen |= Q(Exists(through.objects.filter(q, attachment=OuterRef("pk"))))
        return self.filter(seen)

    def on(self, **record):
        """Files attached to one record: `.on(task=t)` (the key is its registered kind)."""
        from . import attachables

        ((kind, obj),) = record.items()
        k = attachables.get(kind)
        if k is None:
            raise TypeError(f"no attachable kind {kind!r}")
        return self.filter(pk__in=k.links(**{k.field: obj}).values("attachment_id"))


class Attachment(TrackedModel):
    """A file of any type kept on one or more records (C9); stored through Django's storage."""

    policy_module = "attachments"

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    # Detected from the content, not trusted from the browser.
    content_type = models.CharField(_("type"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def extension(self):
        return os.path.splitext(self.name)[1].lower().lstrip(".")

    @property
    def icon(self):
        ct = self.content_type or ""
        if ct.startswith("image/"):
            return "photo"
        if ct.startswith("audio/"):
            return "music"
        if ct.startswith("video/"):
            return "movie"
        if ct == "application/pdf":
            return "file-type-pdf"
        if "word" in ct or self.extension in ("doc", "docx", "odt"):
            return "file-type-doc"
        if "sheet" in ct or "excel" in ct or self.extension in ("xls", "xlsx", "ods", "csv"):
            return "file-type-xls"
        if "presentation" in ct or "powerpoint" in ct or self.extension in ("ppt", "pptx"):
            return "file-type-ppt"
        if ct in ("text/html",):
            return "file-type-html"
        return "file"


class AttachmentTarget(models.Model):
    """The record a file is attached to: exactly one of the columns is set."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="targets")
    party = target_party("activity_attachment_targets")
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachment_targets",
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="attachment_targets"
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachment_targets",
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="attachment_targets"
    )

    # Which record a file was on stays known after it is removed (the party's history tab).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment target")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(TARGET_FIELDS), name="attachmenttarget_one"
            )
        ]

    def __str__(self):
        return f"{self.attachment_id} on {self.record}"

    @property
    def record(self):
        for name in TARGET_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None
