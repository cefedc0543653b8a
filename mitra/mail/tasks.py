"""Background tasks of the mail app (run by `mitra worker`)."""

from django_tasks import task

from mitra.core import outbox


@task()
def drain_outbox(limit=None):
    """Send a batch of due messages (every channel); queue another run while more is due."""
    result = outbox.drain(limit)
    if result["more"] and result["claimed"]:
        drain_outbox.enqueue(limit)
    return result
