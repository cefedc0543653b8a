"""The party 360 timeline tab and its full page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone

from mitra.core.policy import (
    Action,
    get_for_user,
    has_module_perm,
)

from .. import timeline
from ..forms import (
    QuickLogForm,
)
from .common import (
    _party_url,
    _render,
)

# -- the party 360 tab ----------------------------------------------------------------------


def timeline_tab(request, party):
    """The "Timeline" tab of the party page: the upcoming box and the newest activities."""
    kinds = _timeline_kinds(request)
    items, cursor = timeline.page(request.user, party, request.GET.get("after", ""), kinds=kinds)
    return render_to_string(
        "activities/party_timeline.html",
        {
            "party": party,
            "items": items,
            "next_cursor": cursor,
            "upcoming": timeline.upcoming(request.user, party),
            "kinds": kinds,
            "kind_choices": _kind_choices(),
            "can": {
                m: has_module_perm(request.user, m, Action.CREATE)
                for m in ("interactions", "appointments", "tasks", "notes", "followups")
            },
            "now": timezone.now(),
            "quick_form": QuickLogForm(user=request.user)
            if has_module_perm(request.user, "interactions", Action.CREATE)
            else None,
        },
        request=request,
    )


def _kind_choices():
    return timeline.kind_choices()  # one per registered source (core.timeline)


def _timeline_kinds(request):
    valid = {k for k, _label in _kind_choices()}
    kinds = [k for k in request.GET.getlist("kind") if k in valid]
    return kinds or None


@login_required
def party_timeline(request, public_id):
    """More of a party's timeline (htmx "load more"), or the whole tab after a quick log."""
    from mitra.parties.models import Party

    party = get_for_user(request.user, Party, public_id=public_id)
    if not request.htmx:
        url = _party_url(party)
        if request.GET.get("after"):
            url += "&after=" + request.GET["after"]
        return redirect(url)
    kinds = _timeline_kinds(request)
    if request.GET.get("after"):
        items, cursor = timeline.page(request.user, party, request.GET["after"], kinds=kinds)
        return _render(
            request,
            "activities/party_timeline.html#items",
            {
                "party": party,
                "items": items,
                "next_cursor": cursor,
                "kinds": kinds,
                "now": timezone.now(),
            },
        )
    return HttpResponse(timeline_tab(request, party))
