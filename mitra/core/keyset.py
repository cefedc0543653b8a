"""Moved to `mitra.core.tables.paging` (the one paginator); kept for lists not moved yet."""

from mitra.core.tables.paging import (  # noqa: F401
    TOTAL,
    KeysetPage,
    after_q,
    capped_total,
    capped_total_sql,
    decode_cursor,
    encode_cursor,
    encode_values,
    keyset_page,
    keyset_page_for,
)
