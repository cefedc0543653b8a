"""Small helpers shared by every list (the templates' side is `core/templatetags/lists.py`).

Totals: a keyset page built with count="lazy" shows its total once `lazy_total()` has
answered the footer's request for it (the party list: its page stays one query of 50 rows).

Column choices: a list offers optional columns; the user's choice is kept in their session
(no query per page: the session is read anyway), the default when they never chose.
"""

from django.utils.http import url_has_allowed_host_and_scheme

from .tables.paging import LAZY_TOTAL, lazy_total  # noqa: F401 - moved there


def chosen_columns(request, key, columns, default):
    """The optional columns of list `key` to show, in `columns`' order."""
    chosen = request.session.get(f"list_columns.{key}")
    if not isinstance(chosen, list):
        chosen = default
    return [c for c in columns if c in chosen]


def save_columns(request, key, columns, values):
    """Keep the user's choice among `columns` (unknown names dropped); None resets it."""
    name = f"list_columns.{key}"
    if values is None:
        request.session.pop(name, None)
    else:
        request.session[name] = [c for c in columns if c in values]


def back_url(request, default):
    """The safe `next` URL of a POST (or GET), else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default
