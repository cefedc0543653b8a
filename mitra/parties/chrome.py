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
