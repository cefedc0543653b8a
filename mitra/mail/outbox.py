"""Queue email for the worker to send, and the drain that sends it.

Any app sends mail with `queue_email(...)`: the message is stored in the same
transaction as the change that caused it and handed to a worker after commit, so a
rolled-back change never sends mail and a slow SMTP server never slows a page.

Delivery is at most once: a drain run claims messages with a conditional UPDATE
(status queued → sending under its own token), so two workers never send the same
message; a message left in "sending" by a worker that died is marked failed, never
sent again automatically, because it may already have gone out.
"""

import contextlib
import logging
import smtplib
import uuid
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .models import DeliveryLog, OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
Outcome = DeliveryLog.Outcome

# Tunables, overridable in settings.
BATCH_SIZE = getattr(settings, "MAIL_BATCH_SIZE", 50)
MAX_ATTEMPTS = getattr(settings, "MAIL_MAX_ATTEMPTS", 5)
BACKOFF_SECONDS = getattr(settings, "MAIL_BACKOFF_SECONDS", 60)
BACKOFF_MAX_SECONDS = getattr(settings, "MAIL_BACKOFF_MAX_SECONDS", 6 * 3600)
# A message "sending" for longer than this belongs to a worker that stopped.
STALE_AFTER = timedelta(seconds=getattr(settings, "MAIL_STALE_SECONDS", 15 * 60))

_sent_hooks = []


def register_sent_hook(func):
    """Call `func(message)` after each successful send (e.g. to log an interaction)."""
    if func not in _sent_hooks:
        _sent_hooks.append(func)
    return func


def _addresses(value, field):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    result = []
    for address in value:
        address = str(address).strip()
        if not address:
            continue
        try:
            validate_email(_bare(address))
        except ValidationError as exc:
            raise ValidationError(
                {field: _("%(address)s is not a valid email address.") % {"address": address}}
            ) from exc
        result.append(address)
    return result


def _bare(address):
    """The address part of "Name <a@b>"."""
    if "<" in address and address.endswith(">"):
        return address.rsplit("<", 1)[1][:-1]
    return address


def _one_line(text):
    # Header injection: a subject never carries line breaks.
    return " ".join(str(text).split())


def queue_email(
    *,
    to,
    subject,
    body,
    html=None,
    party=None,
    acting_user=None,
    cc=None,
    attachments=None,
    from_email=None,
):
    """Store an email for delivery by the worker; returns the OutboxMessage.

    `to`/`cc`: an address or a list of them. `attachments`: (filename, bytes, mimetype)
    tuples, stored through Django's storage API. Raises ValidationError for an invalid
    address or no recipient at all.
    """
    to_list = _addresses(to, "to")
    cc_list = _addresses(cc, "cc")
    if not to_list:
        raise ValidationError({"to": _("An email needs at least one recipient.")})
    stored = []
    for name, content, mimetype in attachments or ():
        if isinstance(content, str):
            content = content.encode()
        name = get_valid_filename(name) or "attachment"
        path = default_storage.save(f"mail/{uuid.uuid4().hex}/{name}", ContentFile(content))
        stored.append({"name": name, "path": path, "mimetype": mimetype or ""})
    message = OutboxMessage.objects.create(
        to=", ".join(to_list),
        cc=", ".join(cc_list),
        from_email=from_email or "",
        subject=_one_line(subject)[:500],
        text=body or "",
        html=html or "",
        attachments=stored,
        party=party,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        message_id=make_msgid(domain=_domain()),
    )
    transaction.on_commit(_enqueue_drain)
    return message


def _enqueue_drain():
    from .tasks import drain_outbox

    try:
        drain_outbox.enqueue()
    except Exception:  # the periodic drain picks the message up anyway
        logger.exception("could not enqueue the outbox drain")


# -- the drain ---------------------------------------------------------------------------


def backoff(attempts):
    """Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes."""
    return min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def release_stale(now=None):
    """Fail messages a stopped worker left in "sending" (they may have gone out)."""
    now = now or timezone.now()
    stale = list(
        OutboxMessage.objects.filter(
            status=Status.SENDING, claimed_at__lt=now - STALE_AFTER
        ).values_list("pk", "claim", "attempts")
    )
    note = _(
        "The worker stopped while sending this email; it may or may not have been "
        "delivered, so it is not sent again automatically."
    )
    for pk, claim, attempts in stale:
        with transaction.atomic():
            done = OutboxMessage.objects.filter(pk=pk, status=Status.SENDING, claim=claim).update(
                status=Status.FAILED, last_error=note, claim=""
            )
            if done:
                DeliveryLog.objects.create(
                    message_id=pk, attempt=attempts, outcome=Outcome.INTERRUPTED, detail=note
                )
    return len(stale)


def claim_batch(limit=None, now=None):
    """Claim up to `limit` due messages for this run; returns (token, messages).

    A conditional UPDATE … WHERE status = 'queued' takes each row for one run only,
    on every database (no SKIP LOCKED needed).
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    ids = list(
        OutboxMessage.objects.due(now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[: limit or BATCH_SIZE]
    )
    if not ids:
        return token, []
    OutboxMessage.objects.filter(pk__in=ids, status=Status.QUEUED).update(
        status=Status.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    claimed = list(
        OutboxMessage.objects.filter(claim=token, status=Status.SENDING).order_by(
            "next_attempt_at", "id"
        )
    )
    return token, claimed


def build_email(message, connection=None):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=message.to_list,
        cc=message.cc_list,
        connection=connection,
        headers={"Message-ID": message.message_id or make_msgid(domain=_domain())},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments or ():
        with default_storage.open(item["path"], "rb") as fh:
            email.attach(item["name"], fh.read(), item.get("mimetype") or None)
    return email


def _domain():
    sender = _bare(settings.DEFAULT_FROM_EMAIL)
    return sender.rsplit("@", 1)[-1] if "@" in sender else "localhost"


def _is_permanent(exc):
    """5xx answers (bad address, refused) are not worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, (ValueError, UnicodeError))


def _describe(exc):
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        if isinstance(error, bytes):
            error = error.decode("utf-8", "replace")
        return f"{exc.smtp_code} {error}"
    return f"{type(exc).__name__}: {exc}"


def _mark_sent(message, token):
    now = timezone.now()
    with transaction.atomic():
        done = OutboxMessage.objects.filter(pk=message.pk, claim=token).update(
            status=Status.SENT,
            sent_at=now,
            claim="",
            last_error="",
        )
        if done:
            DeliveryLog.objects.create(
                message=message, at=now, attempt=message.attempts, outcome=Outcome.SENT
            )
    message.status, message.sent_at = Status.SENT, now
    for hook in list(_sent_hooks):
        try:
            with transaction.atomic():
                hook(message)
        except Exception:
            logger.exception("mail sent hook %r failed for message %s", hook, message.pk)


def _mark_failed(message, token, exc):
    now = timezone.now()
    detail = _describe(exc)[:2000]
    give_up = _is_permanent(exc) or message.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        if give_up:
            fields = {"status": Status.FAILED}
            outcome = Outcome.FAILED
        else:
            fields = {
                "status": Status.QUEUED,
                "next_attempt_at": now + timedelta(seconds=backoff(message.attempts)),
            }
            outcome = Outcome.RETRY
        done = OutboxMessage.objects.filter(pk=message.pk, claim=token).update(
            claim="", last_error=detail, **fields
        )
        if done:
            DeliveryLog.objects.create(
                message=message, at=now, attempt=message.attempts, outcome=outcome, detail=detail
            )


def send_batch(messages, token):
    """Send claimed messages over ONE SMTP connection; returns (sent, failed)."""
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    is_open = False
    try:
        for message in messages:
            try:
                if not is_open:
                    connection.open()
                    is_open = True
                email = build_email(message, connection)
                connection.send_messages([email])
            except Exception as exc:
                failed += 1
                logger.warning("email %s not sent: %s", message.pk, _describe(exc))
                _mark_failed(message, token, exc)
                if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)):
                    _close(connection)
                    is_open = False
                continue
            sent += 1
            _mark_sent(message, token)
    finally:
        if is_open:
            _close(connection)
    return sent, failed


def _close(connection):
    with contextlib.suppress(Exception):  # a dead connection cannot be closed politely
        connection.close()


def drain(limit=None):
    """Send one batch of due messages; returns counts, and how many are still due."""
    release_stale()
    token, messages = claim_batch(limit)
    sent, failed = send_batch(messages, token) if messages else (0, 0)
    remaining = OutboxMessage.objects.due().exists()
    return {"claimed": len(messages), "sent": sent, "failed": failed, "more": remaining}
