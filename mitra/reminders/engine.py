"""The reminder engine: collect what is due from every source, deliver it once.

`collect()` asks each registered source (registry.py) for what is due up to the
longest lead time any user chose and stores one Reminder per (user, source,
object_ref, occurrence); the unique constraint and `ignore_conflicts` make running it
twice, or on two workers at once, harmless. `deliver_emails()` claims each user's new
reminders with a conditional UPDATE (emailed_at IS NULL → now, under a token) in the
same transaction that queues the email, so a reminder is emailed once even if workers
race or one stops half-way.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from mitra.core import calendars, scheduler

from . import registry
from .models import Reminder, ReminderPreference

logger = logging.getLogger(__name__)

MAX_LEAD_DAYS = 60
# Reminders older than this are shown on screen but no longer emailed (after an outage,
# or when a user first turns email on).
EMAIL_WINDOW = dt.timedelta(hours=getattr(settings, "REMINDERS_EMAIL_WINDOW_HOURS", 48))


def _occurrence(due_at):
    if isinstance(due_at, dt.datetime):
        if timezone.is_naive(due_at):
            due_at = timezone.make_aware(due_at, dt.UTC)
        return due_at.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return dt.datetime.combine(due_at, dt.time(0), tzinfo=dt.UTC)


def active_users(ids):
    """{pk: user} of the active users among `ids`, with what reminders are written in."""
    from django.contrib.auth import get_user_model

    return {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .only("pk", "time_zone", "calendar", "language", "digits")
    }


def collect(now=None, only=None, force=False):
    """Store what every source reports as due; returns {source key: items reported}.

    Throttled sources are skipped until their time comes, unless `force`.
    """
    now = now or timezone.now()
    prefs = {p.user_id: p for p in ReminderPreference.objects.all()}
    max_lead = max([ReminderPreference.DEFAULT_LEAD_DAYS] + [p.lead_days for p in prefs.values()])
    # Through the end of the last day anybody looks ahead to, whatever their time zone.
    until = now + dt.timedelta(days=min(max_lead, MAX_LEAD_DAYS) + 1)
    report = {}
    for source in registry.sources():
        if only and source.key not in only:
            continue
        if (
            source.every
            and not force
            and not scheduler.claim(f"reminders.source.{source.key}", source.every, now)
        ):
            continue
        try:
            items = list(source.collect(now=now, until=until))
        except Exception:
            logger.exception("reminder source %s failed", source.key)
            continue
        report[source.key] = len(items)
        _store(source, items, prefs, now)
    # Snoozes that ran out are due again.
    Reminder.objects.filter(status=Reminder.Status.SNOOZED, snoozed_until__lte=now).update(
        status=Reminder.Status.NEW, snoozed_until=None
    )
    return report


def _store(source, items, prefs, now):
    users = active_users({item.user_id for item in items})
    # Everything reported counts as outstanding, shown yet or not (for auto-resolve).
    seen = {(item.user_id, item.object_ref[:100], _occurrence(item.due_at)) for item in items}
    rows = []
    for item in items:
        user = users.get(item.user_id)
        if user is None:
            continue
        pref = prefs.get(item.user_id)
        if pref and source.key in (pref.muted_sources or ()):
            continue
        lead = dt.timedelta(days=pref.lead_days if pref else ReminderPreference.DEFAULT_LEAD_DAYS)
        occurrence = _occurrence(item.due_at)
        # Lead time counts calendar days in the user's time zone: with 0 days, what is due
        # today shows today (an appointment's source already waits for its reminder time).
        day = item.due_at if item.all_day else occurrence.astimezone(user.zoneinfo).date()
        if day > now.astimezone(user.zoneinfo).date() + lead:
            continue
        rows.append(
            Reminder(
                user_id=item.user_id,
                source=source.key,
                object_ref=item.object_ref[:100],
                occurrence=occurrence,
                all_day=item.all_day,
                title=str(item.title)[:255],
                url=(item.url or "")[:500],
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if source.auto_resolve:
        # What the source no longer reports is no longer outstanding.
        open_ = Reminder.objects.filter(
            source=source.key, status__in=[Reminder.Status.NEW, Reminder.Status.SNOOZED]
        ).values_list("pk", "user_id", "object_ref", "occurrence")
        gone = [pk for pk, *key in open_ if tuple(key) not in seen]
        if gone:
            Reminder.objects.filter(pk__in=gone).update(
                status=Reminder.Status.DONE, done_at=now, snoozed_until=None
            )


# -- email -------------------------------------------------------------------------------


def deliver_emails(now=None):
    """Email each user who asked for it their new reminders, once; returns emails queued."""
    now = now or timezone.now()
    wants_email = ReminderPreference.objects.filter(
        delivery=ReminderPreference.Delivery.EMAIL
    ).values("user_id")
    user_ids = (
        Reminder.objects.filter(
            user_id__in=wants_email,
            status=Reminder.Status.NEW,
            emailed_at__isnull=True,
            created_at__gte=now - EMAIL_WINDOW,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(email_user(user_id, now) for user_id in list(user_ids))


def claim_for_email(user_id, now=None):
    """Mark the user's unemailed new reminders as emailed under a fresh token; return them.

    Only rows still unemailed match the UPDATE, so of two racing runs each reminder goes
    to exactly one.
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    Reminder.objects.filter(
        user_id=user_id,
        status=Reminder.Status.NEW,
        emailed_at__isnull=True,
        created_at__gte=now - EMAIL_WINDOW,
    ).update(emailed_at=now, email_claim=token)
    return list(Reminder.objects.filter(email_claim=token).order_by("occurrence", "id"))


@transaction.atomic
def email_user(user_id, now=None):
    from django.contrib.auth import get_user_model

    from mitra.mail.outbox import queue_email

    reminders = claim_for_email(user_id, now)
    if not reminders:
        return 0
    user = get_user_model().objects.get(pk=user_id)
    if not user.email or not user.is_active:
        return 0  # claimed all the same: nothing to send them to
    subject, text, html = render_email(user, reminders)
    queue_email(to=user.email, subject=subject, body=text, html=html)
    return 1


def site_url():
    return getattr(settings, "SITE_URL", "").rstrip("/") or "http://127.0.0.1:8000"


def render_email(user, reminders):
    script = calendars.default_script_for(user.calendar, user.language)
    with (
        translation.override(user.language),
        calendars.override(user.calendar, user.digits, script),
        timezone.override(user.zoneinfo),
    ):
        context = {
            "user": user,
            "reminders": reminders,
            "site": site_url(),
            "rtl": translation.get_language_bidi(),
        }
        n = len(reminders)
        subject = ngettext("%(n)s reminder from Mitra CRM", "%(n)s reminders from Mitra CRM", n) % {
            "n": calendars.localize_digits(n)
        }
        text = render_to_string("reminders/email.txt", context)
        html = render_to_string("reminders/email.html", context)
    return subject, text, html
