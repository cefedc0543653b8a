"""Background tasks of the customer database (run by `mitra worker`)."""

from django_tasks import task


@task()
def refresh_ratings():
    """Daily: ratings that start or end today take or lose effect (see the action)."""
    from .actions import refresh_due_ratings

    return refresh_due_ratings()
