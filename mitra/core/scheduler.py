"""Periodic tasks for `mitra worker`, safe with any number of workers.

Apps register their periodic jobs from their own `apps.py`:

    from mitra.core import scheduler
    scheduler.register("reminders.collect", collect_reminders, every=60)

`every` is seconds or a timedelta; keyword arguments are passed to `task.enqueue()`.

Each periodic task has a PeriodicRun row; a worker that finds `next_run_at` in the past
moves it forward with a conditional UPDATE (… WHERE next_run_at = <the value it read>).
Only one worker's UPDATE matches, and only that worker enqueues the run.

Each worker's scheduler thread also writes a heartbeat, so that pages waiting on
background work can say when no worker has been seen for a minute.
"""

import datetime as dt
import logging
import threading

from django.db import close_old_connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

_periodic = {}

HEARTBEAT = "worker.heartbeat"  # a PeriodicRun row that no periodic task uses
HEARTBEAT_EVERY = 15  # seconds
STALE_AFTER = 60  # seconds


class PeriodicRun(models.Model):
    """When a periodic task next runs; claimed by a conditional UPDATE on next_run_at so
    that any number of workers enqueue each run once."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "core"
        ordering = ["name"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self):
        return f"{self.name} @ {self.next_run_at}"


def register(name, task, every, **kwargs):
    """Enqueue `task` (a django-tasks Task) every `every` (seconds or a timedelta) while a
    worker runs. Called from an app's `ready()`; registering a name again replaces it."""
    if not isinstance(every, dt.timedelta):
        every = dt.timedelta(seconds=every)
    _periodic[name] = (task, every, kwargs)


def periodic():
    return dict(_periodic)


def claim(name, every, now=None, worker_id=""):
    """True for exactly one caller per period of `name`."""
    now = now or timezone.now()
    row, _created = PeriodicRun.objects.get_or_create(name=name, defaults={"next_run_at": now})
    current = row.next_run_at
    if current > now:
        return False
    following = current + every
    if following <= now:  # the worker was off for a while: do not run the backlog
        following = now + every
    won = PeriodicRun.objects.filter(pk=row.pk, next_run_at=current).update(
        next_run_at=following, last_run_at=now, last_worker=worker_id[:64]
    )
    return won == 1


def tick(now=None, worker_id=""):
    """Enqueue every periodic task that is due; returns their names."""
    ran = []
    for name, (task, every, kwargs) in list(_periodic.items()):
        try:
            if claim(name, every, now, worker_id):
                task.enqueue(**kwargs)
                ran.append(name)
        except Exception:
            logger.exception("periodic task %s could not be enqueued", name)
    return ran


def beat(worker_id="", now=None):
    """Record that a worker is alive now."""
    now = now or timezone.now()
    PeriodicRun.objects.update_or_create(
        name=HEARTBEAT,
        defaults={"next_run_at": now, "last_run_at": now, "last_worker": worker_id[:64]},
    )


def worker_missing(now=None):
    """True when background work waits in the database queue and no worker has been seen
    for STALE_AFTER seconds. Backends that run tasks at once (the test suite) or elsewhere
    (RQ) never wait on ours, and cost no query."""
    from django.conf import settings

    if settings.TASKS.get("default", {}).get("BACKEND") != "django_tasks_db.DatabaseBackend":
        return False
    seen = PeriodicRun.objects.filter(name=HEARTBEAT).values_list("last_run_at", flat=True)
    seen = seen.first()
    now = now or timezone.now()
    return seen is None or now - seen > dt.timedelta(seconds=STALE_AFTER)


def start(interval=5.0, worker_id=""):
    """Run `tick()` every `interval` seconds in a daemon thread; returns a stop Event."""
    stop = threading.Event()

    def loop():
        last_beat = None
        while not stop.is_set():
            close_old_connections()
            now = timezone.now()
            if last_beat is None or (now - last_beat).total_seconds() >= HEARTBEAT_EVERY:
                try:
                    beat(worker_id, now)
                    last_beat = now
                except Exception:
                    logger.exception("the worker heartbeat could not be written")
            tick(worker_id=worker_id)
            close_old_connections()
            stop.wait(interval)

    threading.Thread(target=loop, name="mitra-scheduler", daemon=True).start()
    return stop
