"""Keyset pagination for the party list and phone book: see `mitra.core.tables.paging` (re-exported until the lists move)."""

from mitra.core.tables.paging import (  # noqa: F401 - this app's names for the shared helpers
    KeysetPage,
    after_q,
    decode_cursor,
    encode_cursor,
    keyset_page,
    keyset_page_for,
)
