import datetime as dt
from contextlib import contextmanager

from mitra.reminders import registry


def at(y, m, d, h=12, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=dt.UTC)


@contextmanager
def source(key, items, **kwargs):
    """Register a throw-away source returning `items` (a list, or a callable)."""
    saved = registry._sources.copy()

    def collect(*, now, until):
        return items(now, until) if callable(items) else list(items)

    registry.register_source(key, key.title(), collect, **kwargs)
    try:
        yield
    finally:
        registry._sources.clear()
        registry._sources.update(saved)
