"""Background tasks of the reminders app (run periodically by `mitra worker`)."""

from django_tasks import task

from . import engine


@task()
def collect_reminders():
    """Collect what is due from every source, then email those who asked for it."""
    report = engine.collect()
    report["emails"] = engine.deliver_emails()
    return report
