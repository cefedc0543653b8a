from rest_framework.pagination import CursorPagination


class ViewOrderedCursorPagination(CursorPagination):
    """Keyset pagination ordered by the viewset's own `ordering` (never a COUNT)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "ordering", None) or ("pk",)
        return tuple(ordering) + (("pk",) if "pk" not in ordering else ())
