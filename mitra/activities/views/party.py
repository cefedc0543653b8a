"""The parties box's options (the pickers of every activity form)."""

from django.contrib.auth.decorators import login_required

from mitra.core.policy import (
    Action,
    has_module_perm,
)

from .common import (
    _render,
)

# -- party options for the pickers ----------------------------------------------------------


@login_required
def party_options(request):
    """<option>s for a parties box: the last comma-separated word is looked up; each option's
    value is the box's text with that word completed, so picking one keeps the others."""
    from mitra.parties.models import Party
    from mitra.parties.search import search_parties

    raw = ""
    for name in ("parties", "party", "q"):
        if request.GET.get(name):
            raw = request.GET[name][:500]
            break
    head, sep, last = raw.rpartition(",")
    last = last.strip()
    prefix = f"{head}, " if sep else ""
    parties = []
    if len(last) >= 2 and has_module_perm(request.user, "parties", Action.VIEW):
        qs = Party.objects.visible_to(request.user)
        parties = list(
            search_parties(qs, last).only("code", "name", "priority", "search_name")[:10]
        )
    options = [(f"{prefix}{p.code}", f"{p.name}") for p in parties]
    return _render(request, "activities/_party_options.html", {"options": options})
