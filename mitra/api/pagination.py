import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class ViewOrderedCursorPagination(CursorPagination):
    """Keyset pagination ordered by the viewset's own `ordering` (never a COUNT).

    A cursor is opaque, but it can be hand-made: one that does not decode, or whose
    position is not a value of the ordering's first column, answers 400 naming `cursor`
    instead of reaching the database."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "ordering", None) or ("pk",)
        return tuple(ordering) + (("pk",) if "pk" not in ordering else ())

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
        else:
            if cursor is None or cursor.position is None or self._position_ok(cursor.position):
                return cursor
        raise ValidationError(
            {self.cursor_query_param: [_("“cursor” is not a cursor that this list gave.")]}
        )

    def _position_ok(self, position):
        if "\x00" in position:
            return False
        name = self.ordering[0].lstrip("-")
        meta = self._model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        try:
            value = field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            return False
        if isinstance(value, dt.date):
            from mitra.api.filters import DateTimeFilter  # not at import: DRF loads this early

            return DateTimeFilter.YEARS[0] <= value.year <= DateTimeFilter.YEARS[1]
        return True
