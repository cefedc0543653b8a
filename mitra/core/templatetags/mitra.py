"""Template filters and tags loaded everywhere (a builtin in settings)."""

from html import escape

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


_SIDEBARS = {}


@register.simple_tag(takes_context=True)
def sidebar_links(context):
    """The sidebar's links (the shell context processor chose the modules).

    The same few variants serve every page, so each (language, open section, modules)
    is built once per process and reused: the loop in the template cost about half a
    millisecond on every page.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    active = getattr(match, "namespace", "") or ""
    nav = context.get("nav_modules") or ()
    admin = context.get("nav_admin") or ()
    key = (translation.get_language(), active, *(m.key for m in nav), "|", *(m.key for m in admin))
    html = _SIDEBARS.get(key)
    if html is None:
        html = _build_sidebar(active, nav, admin)
        if len(_SIDEBARS) < 1000:
            _SIDEBARS[key] = html
    return html


def _link(url, icon_name, label, active=False):
    return (
        f'<li class="nav-item{" active" if active else ""}"><a class="nav-link" '
        f'href="{escape(url)}"><span class="nav-link-icon"><i class="ti ti-{escape(icon_name)} " '
        f'aria-hidden="true"></i></span><span class="nav-link-title">{escape(str(label))}'
        "</span></a></li>"
    )


def _build_sidebar(active, nav, admin):
    items = [_link(reverse("home"), "home", _("Home"))]
    items += [_link(m.url, m.icon, m.label, m.key == active) for m in nav]
    if admin:
        items.append(
            '<li class="nav-item mt-3"><span class="nav-link text-uppercase small '
            f'text-secondary">{escape(_("Administration"))}</span></li>'
        )
        items += [_link(m.url, m.icon, m.label) for m in admin]
    return mark_safe("".join(items))


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
