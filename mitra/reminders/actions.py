"""Business verbs of the reminders app. A reminder is only ever its own user's."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mitra.core.events import record_event

from .models import Reminder, ReminderPreference

SNOOZE_CHOICES = ("hour", "tomorrow", "week")


def _check(reminder, acting_user):
    if reminder.user_id != acting_user.pk:
        raise PermissionDenied


def snooze_until(choice, user, now=None):
    """1 hour from now; tomorrow or a week from today at 09:00 in the user's time zone."""
    now = now or timezone.now()
    if choice == "hour":
        return now + dt.timedelta(hours=1)
    days = {"tomorrow": 1, "week": 7}[choice]
    local = now.astimezone(user.zoneinfo)
    day = local.date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(9), tzinfo=user.zoneinfo)


@transaction.atomic
def mark_done(reminder, *, acting_user):
    _check(reminder, acting_user)
    reminder.status = Reminder.Status.DONE
    reminder.done_at = timezone.now()
    reminder.snoozed_until = None
    reminder.save(update_fields=["status", "done_at", "snoozed_until", "updated_at"])
    record_event("reminder.done", reminder, acting_user=acting_user)
    return reminder


@transaction.atomic
def snooze(reminder, choice, *, acting_user):
    """Hide the reminder until the chosen time; ValueError for an unknown choice."""
    _check(reminder, acting_user)
    if choice not in SNOOZE_CHOICES:
        raise ValueError(choice)
    reminder.status = Reminder.Status.SNOOZED
    reminder.snoozed_until = snooze_until(choice, acting_user)
    record_event("reminder.snoozed", reminder, acting_user=acting_user, payload={"choice": choice})
    reminder.done_at = None
    reminder.save(update_fields=["status", "snoozed_until", "done_at", "updated_at"])
    return reminder


@transaction.atomic
def reopen(reminder, *, acting_user):
    _check(reminder, acting_user)
    reminder.status = Reminder.Status.NEW
    record_event("reminder.reopened", reminder, acting_user=acting_user)
    reminder.done_at = reminder.snoozed_until = None
    reminder.save(update_fields=["status", "snoozed_until", "done_at", "updated_at"])
    return reminder


@transaction.atomic
def save_preferences(form, *, acting_user):
    pref = form.save(commit=False)
    pref.user = acting_user
    pref.save()
    return pref


def preference_for(user):
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)
