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


@task()
def prune_task_results(min_age_days=7):
    """Delete finished task results older than a week: the periodic runs add ~3,000 a day."""
    from django.core.management import CommandError, call_command

    try:
        call_command("prune_db_task_results", min_age_days=min_age_days, verbosity=0)
    except CommandError:  # not the database backend: nothing kept to prune
        return False
    return True
