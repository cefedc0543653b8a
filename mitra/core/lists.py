"""Small helpers shared by every list (the templates' side is `core/templatetags/lists.py`).

The list toolkit lives in `core.tables`; `lazy_total` moved there (`tables.paging`) and
column choices to `tables.prefs` (kept per user in the database).
"""

from django.utils.http import url_has_allowed_host_and_scheme

from .tables.paging import LAZY_TOTAL, lazy_total  # noqa: F401 - moved there


def back_url(request, default):
    """The safe `next` URL of a POST (or GET), else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default
