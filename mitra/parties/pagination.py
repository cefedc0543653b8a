"""Keyset pagination for the party list and phone book: see `mitra.core.keyset`."""

from mitra.core.keyset import (  # noqa: F401 - this app's names for the shared helpers
    KeysetPage,
    after_q,
    decode_cursor,
    encode_cursor,
    keyset_page,
    keyset_page_for,
)
