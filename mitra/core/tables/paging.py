"""The one paginator of every list: keyset pages with a capped total, or capped pages.

Keyset pages (`keyset_page`, `keyset_page_for`): no OFFSET, a capped total, forward and
back. The page after a row is "rows that sort after it" and the page before a row is "rows
that sort before it", read in reverse: an indexed range scan however deep the user goes
(DESIGN rule 5). Cursors are a row's sort values, opaque to users. The total rides along in
the page's own query as an uncorrelated scalar subquery that stops at COUNT_CAP + 1 rows,
so a list costs no extra query to say "1,000+". With count="lazy" the page carries no
total and the footer asks for it afterwards (`lazy_total`).

Numbered pages (`paginate`, `CappedPaginator`) for short administrative lists: a Paginator
whose count stops at COUNT_CAP + 1. The API's pagination (`mitra.api.pagination`) is an
adapter over `keyset_page` too.
"""

import base64
import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import render
from django.utils.functional import cached_property

COUNT_CAP = 1000
TOTAL = "list_total_"
LAZY_TOTAL = "list_total"


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str = ""
    is_first: bool = True
    per_page: int = 50
    extra: dict = field(default_factory=dict)
    prev_cursor: str = ""
    total: int | None = None  # rows in the whole list, counted up to COUNT_CAP + 1
    total_lazy: bool = False  # the total comes in a request of its own (see `lazy_total` below)
    keyset = True

    @property
    def has_next(self):
        return bool(self.next_cursor)

    @property
    def has_previous(self):
        return bool(self.prev_cursor)

    @property
    def capped(self):
        return self.total is not None and self.total > COUNT_CAP

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _split(ordering):
    return [(o[1:], True) if o.startswith("-") else (o, False) for o in ordering]


def _value(obj, name):
    if isinstance(obj, dict):
        return obj[name]
    return getattr(obj, "pk" if name == "id" else name)


def encode_values(values):
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def encode_cursor(obj, ordering):
    """The cursor at `obj`: a model instance or a `.values()` dict."""
    return encode_values([_value(obj, name) for name, _desc in _split(ordering)])


def decode_cursor(cursor, ordering, model):
    """The sort values in `cursor`, or None for a missing or tampered one (first page)."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        fields = _split(ordering)
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        return [
            model._meta.get_field(name).to_python(value)
            for (name, _desc), value in zip(fields, values, strict=True)
        ]
    except Exception:  # noqa: BLE001 - a tampered cursor is treated as "first page"
        return None


def after_q(ordering, values):
    """Rows strictly after `values` in `ordering` (any mix of ascending and descending)."""
    q = Q()
    fields = _split(ordering)
    for i, (name, desc) in enumerate(fields):
        cond = {fields[j][0]: values[j] for j in range(i)}
        cond[f"{name}__{'lt' if desc else 'gt'}"] = values[i]
        q |= Q(**cond)
    return q


def _reverse(ordering):
    return [o[1:] if o.startswith("-") else f"-{o}" for o in ordering]


def capped_total_sql(queryset):
    """(sql, params) counting the rows of `queryset` up to COUNT_CAP + 1, or None if empty."""
    inner = queryset.order_by().values("pk")[: COUNT_CAP + 1]
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"SELECT COUNT(*) FROM ({sql}) capped_", params


def capped_total(queryset):
    """The number of rows in `queryset`, counted up to COUNT_CAP + 1 (one query)."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def keyset_page(queryset, ordering, cursor="", per_page=50, before="", count=True, total_of=None):
    """One page of `queryset` sorted by `ordering` (which must end in a unique column).

    `cursor` ("after") pages forward, `before` pages back. With `count`, the page carries
    the list's capped total, counted over `total_of` (default: `queryset`) in the same query.
    With `count="lazy"` it carries none: the footer asks for it afterwards (`lazy_total()`),
    for lists whose page must stay as fast as finding its 50 rows (the party list).
    """
    lazy = count == "lazy"
    count = count is True
    model = queryset.model
    back = decode_cursor(before, ordering, model) if before else None
    values = None if back is not None else decode_cursor(cursor, ordering, model)
    total_sql = capped_total_sql(total_of if total_of is not None else queryset) if count else None
    qs = queryset
    if total_sql is not None:
        qs = qs.annotate(**{TOTAL: RawSQL(*total_sql, output_field=IntegerField())})
    if back is not None:
        qs = qs.order_by(*_reverse(ordering)).filter(after_q(_reverse(ordering), back))
    else:
        qs = qs.order_by(*ordering)
        if values is not None:
            qs = qs.filter(after_q(ordering, values))
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if back is not None:
        rows.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = values is not None, more
    page = KeysetPage(rows, is_first=not has_prev, per_page=per_page, total_lazy=lazy)
    if rows:
        if has_next:
            page.next_cursor = encode_cursor(rows[-1], ordering)
        if has_prev:
            page.prev_cursor = encode_cursor(rows[0], ordering)
    if count:
        if total_sql is None:
            page.total = 0
        elif rows:
            first = rows[0]
            page.total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
        elif not has_prev:
            page.total = 0
        else:  # an empty page past the end (rows deleted meanwhile): count on its own
            page.total = capped_total(total_of if total_of is not None else queryset)
    return page


def keyset_page_for(request, queryset, ordering, per_page=50, **kwargs):
    """keyset_page() with the cursors from the request's ?after= and ?before=."""
    return keyset_page(
        queryset,
        ordering,
        request.GET.get("after", ""),
        per_page,
        before=request.GET.get("before", ""),
        **kwargs,
    )


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


def lazy_total(request, queryset):
    """Answer `?list_total=1` (asked by the footer of a keyset page built with
    count="lazy") with the list's capped total, one query; None for any other request."""
    if request.GET.get(LAZY_TOTAL) != "1":
        return None
    return render(request, "core/_list_total.html", {"total": capped_total(queryset)})
