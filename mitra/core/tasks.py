"""Core background tasks."""

from django.utils import timezone
from django_tasks import task


@task()
def heartbeat(note=""):
    """A no-op task: proves a worker is running (`mitra check --worker` enqueues one)."""
    return {"note": note, "at": timezone.now().isoformat()}


@task()
def clear_idempotency_keys():
    """Daily: forget create-once tokens and API idempotency keys past their 24 hours."""
    from .idempotency import clear_expired

    return clear_expired()
