"""Helpers shared by the party screens."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render

from ..lists import PARTIES
from ..models import (
    Party,
)

MODULE = "parties"
PER_PAGE = 50
# The list's sort orders (declared in parties.lists): key -> ordering.
SORTS = {sort.key: sort.ordering for sort in PARTIES.sorts}


def _with_star(qs, user):
    return qs.annotate(
        is_starred=Exists(
            Party.starred_by.through.objects.filter(party_id=OuterRef("pk"), user_id=user.pk)
        )
    )


def render_list(request, listing, template, context=None, *, row_context=None):
    """A `core.tables` list page with the parties chrome, or its `#rows` partial for htmx.
    `row_context` is put on each row of the page (the action cells' rights and CSRF token:
    a cell's template is rendered without the request)."""
    from django.middleware.csrf import get_token

    from ..chrome import chrome

    listing.saved_view  # noqa: B018 - a view the user may not see is a 404 before rendering
    if row_context is not None:
        row_context = {"csrf": get_token(request), **row_context}
        for row in listing.page.object_list:
            row.__dict__.update(row_context)
    name = f"{template}#rows" if listing.is_rows_request() else template
    return render(request, name, listing.context(**chrome(request), **(context or {})))
