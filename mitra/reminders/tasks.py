"""Background tasks of the reminders app (run periodically by `mitra worker`)."""

from django_tasks import task

from . import engine


@task()
def collect_reminders():
    """Collect what is due from every source, then email those who asked for it."""
    report = engine.collect()
    report["emails"] = engine.deliver_emails()
    return report


@task()
def prune_task_results(min_age_days=7):
    """Delete finished task results older than a week: the periodic runs add ~3,000 a day."""
    from django.core.management import CommandError, call_command

    try:
        call_command("prune_db_task_results", min_age_days=min_age_days, verbosity=0)
    except CommandError:  # not the database backend: nothing kept to prune
        return False
    return True
