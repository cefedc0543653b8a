"""The list toolkit: every list of the app is a `Table` (see docs/architecture.md).

- `Column`, `Sort`, `BulkAction`, `Empty`, `Table` (table.py): the declaration;
  `Table.bind(request, queryset)` gives a `Listing` (filters applied, sort, columns,
  page, render with the `#rows` partial, export).
- `FilterSet` and its filters (filters.py): one declaration for the screen and the API.
- paging.py: the one paginator (keyset with a capped or lazy total; capped numbered pages).
- prefs.py: the columns each user chose.
"""

from .columns import Column
from .filters import (
    BooleanFilter,
    ChoiceFilter,
    DateTimeFilter,
    Filter,
    FilterErrors,
    FilterSet,
    Invalid,
    PositiveIntegerFilter,
    TextFilter,
    UUIDFilter,
)
from .paging import COUNT_CAP, KeysetPage, keyset_page, keyset_page_for, lazy_total, paginate
from .table import BulkAction, Empty, Listing, Sort, Table

__all__ = [
    "COUNT_CAP",
    "BooleanFilter",
    "BulkAction",
    "ChoiceFilter",
    "Column",
    "DateTimeFilter",
    "Empty",
    "Filter",
    "FilterErrors",
    "FilterSet",
    "Invalid",
    "KeysetPage",
    "Listing",
    "PositiveIntegerFilter",
    "Sort",
    "Table",
    "TextFilter",
    "UUIDFilter",
    "keyset_page",
    "keyset_page_for",
    "lazy_total",
    "paginate",
]
