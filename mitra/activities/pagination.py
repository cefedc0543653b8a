"""Keyset pages for activity lists: see `mitra.core.tables.paging` (re-exported until the lists move)."""

from mitra.core.tables.paging import (  # noqa: F401 - this app's names for the shared helpers
    KeysetPage,
    after_q,
    decode_cursor,
    keyset_page,
    keyset_page_for,
)
from mitra.core.tables.paging import encode_values as encode  # noqa: F401
