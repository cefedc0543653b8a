"""Pagination that never counts more rows than it can show (DESIGN rule 5)."""

from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator whose count stops at COUNT_CAP (+1 to know there are more)."""

    @cached_property
    def count(self):
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self):
        return self.count > COUNT_CAP


def paginate(request, queryset, per_page=50):
    paginator = CappedPaginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return paginator.page(1)
