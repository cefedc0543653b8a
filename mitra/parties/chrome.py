"""What every parties page needs (the user's rights, the sub-navigation's flags), for the
parties screens and for apps that add screens under /parties/ (dedupe)."""

from django.shortcuts import render

from mitra.core.policy import Action, has_module_perm

from . import actions

MODULE = "parties"


def perms(user):
    """Module rights on parties, for buttons (the record is already known to be visible).

    Kept on the user object, which lives as long as the request: a page asks more than once.
    """
    found = user.__dict__.get("_party_perms")
    if found is None:
        found = user.__dict__["_party_perms"] = {
            a: has_module_perm(user, MODULE, a) for a in Action.values
        }
    return found


def chrome(request):
    """What every parties page needs: the user's rights and the sub-navigation's flags."""
    user = request.user
    return {"rights": perms(user), "nav_can_approve": actions.can_approve(user)}


def render_page(request, template, context):
    """`render` with the parties chrome."""
    return render(request, template, {**chrome(request), **context})


def render_list(request, listing, template, context=None, *, row_context=None):
    """A `core.tables` list page with the parties chrome, or its `#rows` partial for htmx.
    `row_context` is put on each row of the page with the CSRF token (`row.csrf`): an
    action cell's template is rendered without the request."""
    from django.middleware.csrf import get_token

    listing.saved_view  # noqa: B018 - a view the user may not see is a 404 before rendering
    if row_context is not None:
        row_context = {"csrf": get_token(request), **row_context}
        for row in listing.page.object_list:
            row.__dict__.update(row_context)
    name = f"{template}#rows" if listing.is_rows_request() else template
    return render(request, name, listing.context(**chrome(request), **(context or {})))
