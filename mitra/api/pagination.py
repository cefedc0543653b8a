"""The API lists' pagination: an adapter over the list toolkit's one paginator.

Pages are `mitra.core.tables.paging.keyset_page` pages ordered by the viewset's own
`ordering` (plus the primary key, so the order is total), never a COUNT or an OFFSET. The
answer is `{"next": url, "previous": url, "results": [...]}`; `?cursor=` carries the
direction and the keyset cursor ("a.<values>" after, "b.<values>" before). A cursor is
opaque, but it can be hand-made: one that does not decode, or whose values do not fit
the ordering's columns, answers 400 naming `cursor` instead of reaching the database.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from mitra.core.tables.paging import decode_cursor, keyset_page


def _plausible(value):
    if "\x00" in str(value):
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, dt.date):
        from mitra.core.tables.filters import DateTimeFilter

        return DateTimeFilter.YEARS[0] <= value.year <= DateTimeFilter.YEARS[1]
    return True


class ViewOrderedCursorPagination(BasePagination):
    """Keyset pagination ordered by the viewset's own `ordering` (never a COUNT)."""

    cursor_query_param = "cursor"
    page_size = None  # REST_FRAMEWORK["PAGE_SIZE"]
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, queryset, view):
        pk = queryset.model._meta.pk.name
        ordering = [pk if o == "pk" else o for o in (getattr(view, "ordering", None) or ())]
        ordering = [f"-{pk}" if o == "-pk" else o for o in ordering]
        if not any(o.lstrip("-") == pk for o in ordering):
            ordering.append(pk)
        return ordering

    def get_page_size(self, request):
        from django.conf import settings

        size = self.page_size or settings.REST_FRAMEWORK.get("PAGE_SIZE") or 50
        text = request.query_params.get(self.page_size_query_param, "")
        if text.isascii() and text.isdigit() and int(text) > 0:
            size = min(int(text), self.max_page_size)
        return size

    def _refuse(self):
        raise ValidationError(
            {self.cursor_query_param: [_("“cursor” is not a cursor that this list gave.")]}
        )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.ordering = self.get_ordering(queryset, view)
        text = request.query_params.get(self.cursor_query_param, "").strip()
        after = before = ""
        if text:
            direction, _dot, cursor = text.partition(".")
            values = decode_cursor(cursor, self.ordering, queryset.model)
            if direction not in ("a", "b") or values is None:
                self._refuse()
            if not all(_plausible(v) for v in values):
                self._refuse()
            after, before = (cursor, "") if direction == "a" else ("", cursor)
        self.page = keyset_page(
            queryset, self.ordering, after, self.get_page_size(request), before=before, count=False
        )
        return list(self.page.object_list)

    def _link(self, direction, cursor):
        if not cursor:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, f"{direction}.{cursor}")

    def get_next_link(self):
        return self._link("a", self.page.next_cursor)

    def get_previous_link(self):
        if self.page.prev_cursor:
            return self._link("b", self.page.prev_cursor)
        if not self.page.is_first:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return None

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor of a page, from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, at most {self.max_page_size}.",
                "schema": {"type": "integer"},
            },
        ]
