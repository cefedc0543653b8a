"""The registry of party timeline sources. Apps add theirs from `AppConfig.ready()`:

    from mitra.core.timeline import TimelineSource, register_timeline_source
    register_timeline_source(TimelineSource(
        "opportunity", _("Opportunities"), rank=20, time_field="targets__at",
        party_field="targets__party", rows=opportunity_rows,
        template="sales/_timeline_opportunity.html",
    ))

`rows(user, party)` gives the source's records the user may read (None when the role does
not grant the module); the timeline (`activities.timeline.page`) asks each source for at
most a page of rows, newest first by `time_field`, and merges them. With `party_field`
the party and the time condition are put in one `filter()` call (so they share the same
target row); without it `rows` must already be narrowed to the party. Each row is shown
with `template` (context: `item`, `o` = the record, `party`, `now`). `rank` orders rows of
the same instant and is part of the page cursor: unique per source, never reused.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    label: Any
    rank: int
    time_field: str
    rows: Callable
    template: str
    party_field: str = ""
    pk_field: str = "pk"
    # Called with the rows fetched for a page (in order, newest first): e.g. to compare
    # each history record with the one before it.
    prepare: Callable | None = None
    # Called with the records actually shown: e.g. one query for every task's step counts.
    shown: Callable | None = None


_sources: dict[str, TimelineSource] = {}


def register_timeline_source(source):
    """Add (or replace) a source of the party timeline."""
    clash = [s for s in _sources.values() if s.rank == source.rank and s.kind != source.kind]
    if clash:
        raise ValueError(f"timeline rank {source.rank} is taken by {clash[0].kind}")
    _sources[source.kind] = source
    return source


def unregister_timeline_source(kind):
    _sources.pop(kind, None)


def timeline_sources():
    """Every registered source, by rank."""
    return sorted(_sources.values(), key=lambda s: s.rank)
