"""Screens of the customer database, one module per area (thin views: access helper →
form → action → response):

- listing: the party list and its bulk actions; columns: its "Columns" menu
- records: create/edit (one helper), delete, star, (de)activate, photo
- detail: the 360 page and its tabs; related: ratings, relationships and contacts rows
- book: the pickers' lookup and the phone book; trash; config: groups and rating levels
- io: import and export; callerid: the caller-ID endpoint
"""

from .book import party_lookup, phone_book
from .callerid import caller_id
from .columns import party_list_columns
from .config import group_delete, group_edit, group_list, rating_level_delete, rating_levels
from .detail import party_detail
from .listing import filtered_parties, party_bulk, party_list
from .records import (
    approvals,
    party_create,
    party_delete,
    party_edit,
    party_photo,
    party_set_active,
    party_star,
)
from .related import (
    contact_add,
    contact_remove,
    rating_add,
    rating_remove,
    relationship_add,
    relationship_remove,
)
from .trash import trash, trash_purge, trash_restore

__all__ = [
    "approvals",
    "caller_id",
    "contact_add",
    "contact_remove",
    "filtered_parties",
    "group_delete",
    "group_edit",
    "group_list",
    "party_bulk",
    "party_create",
    "party_delete",
    "party_detail",
    "party_edit",
    "party_list",
    "party_list_columns",
    "party_lookup",
    "party_photo",
    "party_set_active",
    "party_star",
    "phone_book",
    "rating_add",
    "rating_level_delete",
    "rating_levels",
    "rating_remove",
    "relationship_add",
    "relationship_remove",
    "trash",
    "trash_purge",
    "trash_restore",
]
