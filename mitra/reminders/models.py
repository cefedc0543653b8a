"""Reminders: what is due for each user, collected from every app's sources."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.models import PublicIdModel, TimeStampedModel


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own reminders (nobody else's, administrators included)."""
        return self.filter(user=user)

    def due(self, now=None):
        """Waiting for the user: new, or snoozed until a moment that has passed."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Reminder.Status.NEW)
            | Q(status=Reminder.Status.SNOOZED, snoozed_until__lte=now)
        )

    def snoozed(self, now=None):
        """Snoozed until later."""
        return self.filter(status=Reminder.Status.SNOOZED, snoozed_until__gt=now or timezone.now())

    def done(self):
        return self.filter(status=Reminder.Status.DONE)


class Reminder(TimeStampedModel, PublicIdModel):
    """One occurrence of something due, for one user."""

    class Status(models.TextChoices):
        NEW = "new", _("Due")
        SNOOZED = "snoozed", _("Snoozed")
        DONE = "done", _("Done")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    source = models.CharField(_("source"), max_length=40)
    object_ref = models.CharField(_("about"), max_length=100)
    occurrence = models.DateTimeField(_("due"))
    # Whole-day items (birthdays, due dates) keep their date at 00:00 UTC in `occurrence`.
    all_day = models.BooleanField(_("all day"), default=False)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # The token of the delivery run that claimed this reminder for an email.
    email_claim = models.CharField(max_length=32, blank=True, default="")

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["occurrence", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # Collecting twice (or on two workers) never makes a second reminder.
            models.UniqueConstraint(
                fields=["user", "source", "object_ref", "occurrence"],
                name="reminder_unique_occurrence",
            )
        ]
        indexes = [
            # The bell count and the list: user = me AND status … ORDER BY occurrence.
            models.Index(fields=["user", "status", "occurrence"], name="reminder_user_status_idx"),
            # Email delivery: not yet emailed, new.
            models.Index(fields=["status", "emailed_at"], name="reminder_email_idx"),
            # Reading back what one delivery run claimed.
            models.Index(fields=["email_claim"], name="reminder_claim_idx"),
            # Auto-resolve: the open reminders of one source.
            models.Index(fields=["source", "status"], name="reminder_source_status_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def due_date(self):
        """The date of an all-day reminder (as stored, not moved by the time zone)."""
        return self.occurrence.astimezone(dt.UTC).date()

    @property
    def is_due(self):
        if self.status == self.Status.NEW:
            return True
        return self.status == self.Status.SNOOZED and self.snoozed_until <= timezone.now()


class ReminderPreference(TimeStampedModel):
    """How a user wants to be reminded; users without a row get the defaults."""

    DEFAULT_LEAD_DAYS = 1

    class Delivery(models.TextChoices):
        SCREEN = "screen", _("On screen only")
        EMAIL = "email", _("On screen and by email")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.SCREEN
    )
    lead_days = models.PositiveSmallIntegerField(
        _("days ahead"),
        default=DEFAULT_LEAD_DAYS,
        help_text=_("How many days before a date (a birthday, an appointment) to be reminded."),
    )
    muted_sources = models.JSONField(_("muted reminders"), default=list, blank=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user}: {self.delivery}"


class FeedToken(TimeStampedModel):
    """The secret address of a user's calendar feed (.ics), for phone and desktop
    calendars that subscribe without signing in. Only a hash is kept; the address is
    shown once, and making a new one retires the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_token",
    )
    prefix = models.CharField(max_length=12, db_index=True)  # looked up on every fetch
    token_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(_("last fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self):
        return f"{self.user}: {self.prefix}…"

    @staticmethod
    def hash(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user):
        """A new secret for `user` (the previous one stops working); returns the raw token."""
        raw = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user,
            defaults={"prefix": raw[:12], "token_hash": cls.hash(raw), "last_used_at": None},
        )
        return raw

    @classmethod
    def authenticate(cls, raw):
        """The active user whose feed secret is `raw`, or None."""
        raw = str(raw or "")
        if len(raw) < 20:
            return None
        for token in cls.objects.filter(prefix=raw[:12]).select_related("user"):
            if secrets.compare_digest(token.token_hash, cls.hash(raw)) and token.user.is_active:
                cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
                return token.user
        return None
