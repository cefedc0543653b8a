"""Business verbs of the mail app."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mitra.core.events import record_event
from mitra.core.policy import Action, can

from .models import DeliveryLog, OutboxMessage
from .outbox import _enqueue_drain


@transaction.atomic
def retry_message(message, *, acting_user):
    """Queue a failed email again, from a fresh count of attempts."""
    if not can(acting_user, Action.EDIT, message):
        raise PermissionDenied
    done = OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        claim="",
    )
    if done:
        record_event("mail.requeued", message, acting_user=acting_user)
        DeliveryLog.objects.create(
            message=message,
            attempt=message.attempts,
            outcome=DeliveryLog.Outcome.REQUEUED,
            user=acting_user,
        )
        transaction.on_commit(_enqueue_drain)
    message.refresh_from_db()
    return bool(done)
