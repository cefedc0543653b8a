"""The one outbox: every email, SMS and webhook the product sends waits here until a
worker delivers it, through one claim / backoff / recovery mechanism.

A message is stored in the same transaction as the change that caused it and handed to a
worker after commit, so a rolled-back change never sends anything and a slow gateway never
slows a page. Queue one with `mitra.mail.outbox.queue_email`, `queue_sms` or
`queue_webhook` (below).

Delivery: a drain run claims due messages with a conditional UPDATE (status queued →
sending under its own token), so two workers never send the same message, then hands each
channel's messages to that channel's provider (`settings.OUTBOX_PROVIDERS`, classes under
`mitra/integrations/<provider>/`). A failure is retried with exponential backoff until
`MAX_ATTEMPTS`; a permanent refusal fails at once. A message left in "sending" by a worker
that died is recovered by the next drain: queued again when the provider's receiver drops
repeats of one message id (`Provider.resend_interrupted`: webhooks, SMS gateways with a
reference), else failed and never sent again automatically (email: it may have gone out).

The storage (the message and delivery-log models) belongs to the outbox's owner app, which
calls `use_storage()` from its `ready()`; core imports no domain app.
"""

import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")
    SMS = "sms", gettext_lazy("SMS")
    WEBHOOK = "webhook", gettext_lazy("Webhook")


def _setting(name, default):
    # OUTBOX_* names; the MAIL_* names they replace still work.
    return getattr(settings, f"OUTBOX_{name}", getattr(settings, f"MAIL_{name}", default))


# Tunables, overridable in settings.
BATCH_SIZE = _setting("BATCH_SIZE", 50)
MAX_ATTEMPTS = _setting("MAX_ATTEMPTS", 5)
BACKOFF_SECONDS = _setting("BACKOFF_SECONDS", 60)
BACKOFF_MAX_SECONDS = _setting("BACKOFF_MAX_SECONDS", 6 * 3600)
# A message "sending" for longer than this belongs to a worker that stopped.
STALE_AFTER = timedelta(seconds=_setting("STALE_SECONDS", 15 * 60))

DEFAULT_PROVIDERS = {
    Channel.EMAIL: "mitra.integrations.smtp.SmtpProvider",
    Channel.SMS: "mitra.integrations.sms_http.HttpSmsProvider",
    Channel.WEBHOOK: "mitra.integrations.webhook.WebhookProvider",
}

_storage = {}
_sent_hooks = []
_drain_task = []


# -- wiring ------------------------------------------------------------------------------


def use_storage(message_model, drain_task=None):
    """Called by the owner app: its message model (with a `log` relation to the delivery
    log) and the task that drains the outbox."""
    _storage["model"] = message_model
    if drain_task is not None:
        _drain_task[:] = [drain_task]


def message_model():
    try:
        return _storage["model"]
    except KeyError:
        raise ImproperlyConfigured("No outbox storage: is mitra.mail installed?") from None


def log_model():
    return message_model()._meta.get_field("log").related_model


def register_sent_hook(func):
    """Call `func(message)` after each successful send, of any channel."""
    if func not in _sent_hooks:
        _sent_hooks.append(func)
    return func


class Provider:
    """Delivers one channel's messages. Subclasses implement `send_batch` and may refine
    `is_permanent` / `describe`; they live in `mitra/integrations/<provider>/`."""

    channel = None
    # True when the receiver drops a repeat of one message id, so that a message a dead
    # worker may or may not have sent is safely sent again (exactly once at the receiver).
    resend_interrupted = False

    def send_batch(self, messages, delivered, failed):
        """Send `messages`; call `delivered(message)` or `failed(message, exc)` for each."""
        raise NotImplementedError

    def is_permanent(self, exc):
        """A failure not worth retrying (a refused address, a malformed message)."""
        return isinstance(exc, (ValueError, UnicodeError))

    def describe(self, exc):
        return f"{type(exc).__name__}: {exc}"


def get_provider(channel):
    providers = {**DEFAULT_PROVIDERS, **getattr(settings, "OUTBOX_PROVIDERS", {})}
    try:
        path = providers[channel]
    except KeyError:
        raise ImproperlyConfigured(f"No outbox provider for the channel {channel!r}") from None
    return import_string(path)()


# -- queueing ----------------------------------------------------------------------------


def enqueue(channel, *, to, text="", subject="", acting_user=None, **fields):
    """Store one message of `channel` for delivery; returns it. The channel helpers
    (`queue_email`, `queue_sms`, `queue_webhook`) validate first."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    Message = message_model()
    message = Message.objects.create(
        channel=channel,
        to=to,
        subject=subject,
        text=text,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        message_id=fields.pop("message_id", "") or f"msg_{uuid.uuid4().hex}",
        **fields,
    )
    transaction.on_commit(enqueue_drain)
    return message


def enqueue_drain():
    if not _drain_task:
        return
    try:
        _drain_task[0].enqueue()
    except Exception:  # the periodic drain picks the message up anyway
        logger.exception("could not enqueue the outbox drain")


def queue_sms(*, to, text, party=None, acting_user=None):
    """Queue a text message to one phone number (stored in E.164)."""
    from .text import normalize_phone

    number = normalize_phone(to) if to else ""
    if not number:
        raise ValidationError({"to": _("%(number)s is not a valid phone number.") % {"number": to}})
    if not (text or "").strip():
        raise ValidationError({"text": _("A text message cannot be empty.")})
    return enqueue(Channel.SMS, to=number, text=text, party=party, acting_user=acting_user)


def queue_webhook(*, endpoint, event, data, party=None, acting_user=None):
    """Queue a signed POST of `{"type": event, "timestamp": …, "data": data}` to the
    endpoint named `endpoint` in `settings.WEBHOOK_ENDPOINTS`."""
    config = getattr(settings, "WEBHOOK_ENDPOINTS", {}).get(endpoint)
    if not config or not config.get("url"):
        raise ValidationError({"endpoint": _("No webhook endpoint of that name is set up.")})
    body = json.dumps(
        {"type": event, "timestamp": timezone.now().isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )
    return enqueue(
        Channel.WEBHOOK,
        to=config["url"],
        subject=" ".join(str(event).split())[:500],
        text=body,  # signed as stored: every retry sends the same bytes
        payload={"endpoint": endpoint},
        party=party,
        acting_user=acting_user,
    )


# -- the drain ---------------------------------------------------------------------------


def backoff(attempts):
    """Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes."""
    return min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def release_stale(now=None):
    """Recover messages a stopped worker left in "sending": queued again when the
    channel's receiver drops repeats, else failed (they may have gone out)."""
    Message, Log = message_model(), log_model()
    Status, Outcome = Message.Status, Log.Outcome
    now = now or timezone.now()
    stale = list(
        Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_AFTER).values_list(
            "pk", "claim", "attempts", "channel"
        )
    )
    resend = {}
    for pk, claim, attempts, channel in stale:
        if channel not in resend:
            try:
                resend[channel] = get_provider(channel).resend_interrupted
            except ImproperlyConfigured:
                resend[channel] = False
        if resend[channel]:
            fields = {"status": Status.QUEUED, "next_attempt_at": now}
            note = _(
                "The worker stopped while sending this message; it is sent again with the "
                "same message id, which the receiver uses to drop a repeat."
            )
        else:
            fields = {"status": Status.FAILED}
            note = _(
                "The worker stopped while sending this message; it may or may not have been "
                "delivered, so it is not sent again automatically."
            )
        with transaction.atomic():
            done = Message.objects.filter(pk=pk, status=Status.SENDING, claim=claim).update(
                last_error=note, claim="", **fields
            )
            if done:
                Log.objects.create(
                    message_id=pk, attempt=attempts, outcome=Outcome.INTERRUPTED, detail=note
                )
    return len(stale)


def claim_batch(limit=None, now=None):
    """Claim up to `limit` due messages for this run; returns (token, messages).

    A conditional UPDATE … WHERE status = 'queued' takes each row for one run only,
    on every database (no SKIP LOCKED needed).
    """
    Message = message_model()
    now = now or timezone.now()
    token = uuid.uuid4().hex
    ids = list(
        Message.objects.due(now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[: limit or BATCH_SIZE]
    )
    if not ids:
        return token, []
    Message.objects.filter(pk__in=ids, status=Message.Status.QUEUED).update(
        status=Message.Status.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    claimed = list(
        Message.objects.filter(claim=token, status=Message.Status.SENDING).order_by(
            "next_attempt_at", "id"
        )
    )
    return token, claimed


def _mark_sent(message, token):
    Message, Log = message_model(), log_model()
    now = timezone.now()
    with transaction.atomic():
        done = Message.objects.filter(pk=message.pk, claim=token).update(
            status=Message.Status.SENT, sent_at=now, claim="", last_error=""
        )
        if done:
            Log.objects.create(
                message=message, at=now, attempt=message.attempts, outcome=Log.Outcome.SENT
            )
    message.status, message.sent_at = Message.Status.SENT, now
    for hook in list(_sent_hooks):
        try:
            with transaction.atomic():
                hook(message)
        except Exception:
            logger.exception("outbox sent hook %r failed for message %s", hook, message.pk)


def _mark_failed(message, token, exc, provider):
    Message, Log = message_model(), log_model()
    now = timezone.now()
    detail = provider.describe(exc)[:2000]
    give_up = provider.is_permanent(exc) or message.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        if give_up:
            fields = {"status": Message.Status.FAILED}
            outcome = Log.Outcome.FAILED
        else:
            fields = {
                "status": Message.Status.QUEUED,
                "next_attempt_at": now + timedelta(seconds=backoff(message.attempts)),
            }
            outcome = Log.Outcome.RETRY
        done = Message.objects.filter(pk=message.pk, claim=token).update(
            claim="", last_error=detail, **fields
        )
        if done:
            Log.objects.create(
                message=message, at=now, attempt=message.attempts, outcome=outcome, detail=detail
            )


def send_batch(messages, token):
    """Send claimed messages, each channel's through its provider; returns (sent, failed)."""
    counts = {"sent": 0, "failed": 0}
    by_channel = {}
    for message in messages:
        by_channel.setdefault(message.channel, []).append(message)
    for channel, group in by_channel.items():
        try:
            provider = get_provider(channel)
        except ImproperlyConfigured as exc:
            for message in group:
                counts["failed"] += 1
                _mark_failed(message, token, ValueError(str(exc)), Provider())
            continue

        def delivered(message, provider=provider):
            counts["sent"] += 1
            _mark_sent(message, token)

        def failed(message, exc, provider=provider):
            counts["failed"] += 1
            logger.warning(
                "%s %s not sent: %s", message.channel, message.pk, provider.describe(exc)
            )
            _mark_failed(message, token, exc, provider)

        provider.send_batch(group, delivered, failed)
    return counts["sent"], counts["failed"]


def drain(limit=None):
    """Send one batch of due messages; returns counts, and whether more are due."""
    release_stale()
    token, messages = claim_batch(limit)
    sent, failed = send_batch(messages, token) if messages else (0, 0)
    remaining = message_model().objects.due().exists()
    return {"claimed": len(messages), "sent": sent, "failed": failed, "more": remaining}
