"""The reminder sources: every app tells the engine what is due for whom.

An app registers a source once, in its AppConfig.ready()::

    from mitra.reminders.registry import Due, register_source

    def collect(*, now, until):
        for task in Task.objects.open().filter(due_at__lte=until):
            yield Due(task.assignee_id, "tasks", str(task.pk), task.due_at, task.title,
                      task.get_absolute_url())

    register_source("tasks", _("Overdue tasks"), collect)

The engine (`mitra.reminders.engine.collect_reminders`, run every minute by the worker)
calls each source with `now` (aware UTC) and `until` (a little over the longest lead
time any user asked for). A source returns every item that is due at or before `until`,
overdue ones included, for as long as they stay outstanding; the engine keeps one
Reminder per (user, source key, object_ref, due_at), so returning the same item on every
run is expected and never duplicates it. Each user then sees an item once its day is
within their own lead time (calendar days in their time zone; 0 = on the day).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Due:
    """Something due for one user.

    user_id: who is reminded. key: the source key it was registered under.
    object_ref: what it is about, stable across runs (a pk or public id as text, at most
    100 characters). due_at: an aware datetime, or a date for whole-day things
    (birthdays, due dates without a time). title: what the user reads (already in the
    user's language if the source can, else plain). url: where the reminder links to.
    """

    user_id: int
    key: str
    object_ref: str
    due_at: dt.datetime | dt.date
    title: str
    url: str = ""

    @property
    def all_day(self):
        return not isinstance(self.due_at, dt.datetime)


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    collect: Callable[..., Iterable[Due]]
    # When True the source reports everything still outstanding on every run, so a
    # reminder it no longer reports (the task was closed) is marked done by the engine.
    auto_resolve: bool = False
    # Ask this source at most this often (a timedelta); None: on every run (each minute).
    every: dt.timedelta | None = None


_sources: dict[str, Source] = {}


def register_source(key, label, collect, *, auto_resolve=False, every_seconds=None):
    """Add (or replace) the source `key`; `collect(*, now, until)` yields `Due` items.

    `every_seconds` throttles an expensive source (birthdays over a million parties
    need not be scanned every minute).
    """
    every = dt.timedelta(seconds=every_seconds) if every_seconds else None
    _sources[key] = Source(key, label, collect, auto_resolve, every)
    return collect


def sources():
    return list(_sources.values())


def source_label(key):
    source = _sources.get(key)
    return str(source.label) if source else key
