"""The storage of the one outbox (`mitra.core.outbox`): every email, SMS and webhook the
product sends waits here until a worker delivers it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.models import PublicIdModel, TimeStampedModel
from mitra.core.outbox import Channel
from mitra.core.policy import Scope, VisibleQuerySet


class OutboxQuerySet(VisibleQuerySet):
    def due(self, now=None):
        """Queued messages whose next attempt time has come."""
        return self.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now or timezone.now()
        )


class OutboxMessage(TimeStampedModel, PublicIdModel):
    """One message to send on one channel: who to, what, and how its delivery is going.

    Email: `to`/`cc` addresses, `subject`, `text`/`html`, `attachments`. SMS: `to` is the
    number (E.164), `text` the message. Webhook: `to` is the URL, `subject` the event type,
    `text` the JSON body as signed, `payload["endpoint"]` the endpoint's name.
    """

    policy_module = "mail"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    # Addresses separated by ", " (searchable with a plain LIKE on the admin screen); a
    # phone number; a URL.
    to = models.TextField(_("to"))
    cc = models.TextField(_("cc"), blank=True)
    from_email = models.CharField(_("from"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # [{"name": "offer.pdf", "path": "<storage name>", "mimetype": "application/pdf"}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # What a channel's provider needs beyond the above (a webhook's endpoint name).
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("party"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("queued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # The token of the drain run that holds the message while it is being sent.
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            # The drain: status = queued AND next_attempt_at <= now, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            # The drain reads back what it claimed.
            models.Index(fields=["claim"], name="outbox_claim_idx"),
            # The delivery screen: newest first, optionally by status.
            models.Index(fields=["-created_at", "-id"], name="outbox_created_idx"),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created_idx"),
            models.Index(fields=["channel", "-created_at"], name="outbox_channel_created_idx"),
        ]

    def __str__(self):
        return f"{self.subject or self.get_channel_display()} → {self.to}"

    @classmethod
    def scope_q(cls, user, scope):
        q = Q(created_by=user)
        if scope == Scope.TEAM:
            q |= Q(created_by__in=user.teammate_ids())
        return q

    @property
    def to_list(self):
        return split_addresses(self.to)

    @property
    def cc_list(self):
        return split_addresses(self.cc)

    @property
    def can_retry(self):
        return self.status == self.Status.FAILED


def split_addresses(value):
    return [a.strip() for a in (value or "").split(",") if a.strip()]


class DeliveryLog(models.Model):
    """One line per delivery attempt (and per retry asked for by hand)."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")
        REQUEUED = "requeued", _("Queued again by hand")

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    detail = models.TextField(_("detail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("delivery log entry")
        verbose_name_plural = _("delivery log")
        # The message page lists its log, newest first.
        indexes = [models.Index(fields=["message", "-at"], name="deliverylog_message_idx")]

    def __str__(self):
        return f"{self.message_id} {self.outcome}"
