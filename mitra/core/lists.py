"""A safe "back" URL for list and form screens (the list toolkit itself is `core.tables`;
the templates' side is `core/templatetags/lists.py`)."""

from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request, default):
    """The safe `next` URL of a POST (or GET), else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default
