"""Moved to `mitra.core.tables.paging` (the one paginator); kept for lists not moved yet."""

from mitra.core.tables.paging import COUNT_CAP, CappedPaginator, paginate  # noqa: F401
