"""Template filters and tags loaded everywhere (a builtin in settings)."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import calendars
from ..history import history_rows

register = template.Library()


@register.filter
def cal_date(value, fmt="short"):
    """A date in the user's calendar and digits: {{ party.birth_date|cal_date }}."""
    return calendars.format_date(value, fmt)


@register.filter
def cal_datetime(value, fmt="short"):
    return calendars.format_datetime(value, fmt)


@register.filter
def digits(value):
    """Numbers in the user's digits: {{ count|digits }}."""
    return calendars.localize_digits("" if value is None else value)


@register.simple_tag
def icon(name, extra=""):
    return format_html('<i class="ti ti-{} {}" aria-hidden="true"></i>', name, extra)


@register.simple_tag
def options(choices, selected=None):
    """The <option>s of a <select>, the one whose value equals `selected` selected.

    `choices` holds (value, label) pairs or longer tuples whose first item is the value
    and last the label. A filter bar has a dozen selects; a template for-loop with an
    `if` per option was a noticeable part of a list page's time.
    """
    selected = "" if selected is None else str(selected)
    out = []
    for item in choices:
        value = str(item[0])
        mark = " selected" if value == selected else ""
        out.append(f'<option value="{escape(value)}"{mark}>{escape(str(item[-1]))}</option>')
    return mark_safe("".join(out))


@register.inclusion_tag("core/history_panel.html", takes_context=True)
def history_panel(context, obj, limit=50):
    """Who changed which field of `obj`, from what, to what, when."""
    return {"rows": history_rows(obj, limit), "request": context.get("request")}
