"""The shared pieces of every list: its total, its page links and its empty state.

{% load lists %}
{% include "core/_pager.html" %}          total + first/previous/next (keyset or numbered)
{% list_empty "address-book" _("No parties yet.") _("No parties match these filters.") create_url create_label %}
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import ngettext, pgettext

from mitra.core import calendars
from mitra.core.tables.paging import COUNT_CAP

register = template.Library()

# Query parameters that page or sort a list rather than filter it.
NOT_FILTERS = {"page", "after", "before", "sort", "cols", "list_total", "view"}


def _n(value):
    return calendars.localize_digits(number_format(value, force_grouping=True))


@register.simple_tag
def list_total(page):
    """ "1 record", "37 records", "1,000+ records": never more than COUNT_CAP counted."""
    if getattr(page, "keyset", False):
        return total_text(page.total)
    return total_text(page.paginator.count)


@register.simple_tag
def total_text(total):
    if total is None:
        return ""
    # The number is isolated so that "1,000+" keeps its shape in right-to-left text.
    if total > COUNT_CAP:
        text = pgettext("list total past the cap, n is 1,000+", "{n} records")
        return format_html(text, n=format_html("<bdi>{}+</bdi>", _n(COUNT_CAP)))
    text = ngettext("{n} record", "{n} records", total)
    return format_html(text, n=format_html("<bdi>{}</bdi>", _n(total)))


def active_filters(request, keep=()):
    """The request's filter parameters that hold a value (paging, sorting and `keep` aside)."""
    skip = NOT_FILTERS | set(keep)
    return {k for k, v in request.GET.lists() if k not in skip and any(x.strip() for x in v)}


@register.inclusion_tag("core/_list_empty.html", takes_context=True)
def list_empty(context, icon, empty, filtered, create_url="", create_label="", keep="", hint=""):
    """The empty state: "nothing matches" + clear filters, or "nothing yet" + create."""
    request = context["request"]
    keep_keys = [k for k in keep.split(",") if k]
    kept = request.GET.copy()
    for k in list(kept):
        if k not in keep_keys and k != "sort":
            del kept[k]
    query = kept.urlencode()
    return {
        "icon": icon,
        "filters": bool(active_filters(request, keep_keys)),
        "empty": empty,
        "filtered": filtered,
        "clear_url": request.path + (f"?{query}" if query else ""),
        "create_url": create_url,
        "create_label": create_label,
        "hint": hint,
    }
