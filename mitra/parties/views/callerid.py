"""The caller-ID endpoint (/parties/caller-id/): which parties have this phone number."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import callerid


@require_GET
def caller_id(request):
    """JSON: the parties the signed-in user may see with a phone matching ?number=…

    Optional ?region=TH (the country assumed for a number without its country code);
    ?format=html (or an htmx request) answers with the screen-pop card instead.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    number = request.GET.get("number", "").strip()[:64]
    region = request.GET.get("region", "").strip().upper()[:2] or None
    if not number:
        return JsonResponse({"error": _("Give a phone number as ?number=")}, status=400)
    matches = callerid.lookup(request.user, number, region=region)
    if request.GET.get("format") == "html" or request.htmx:
        # The screen pop: the same answer as a card (a page of its own for a popup window,
        # the card alone for htmx to put on the agent's page).
        template = "parties/dupes/caller_id.html" + ("#card" if request.htmx else "")
        return render(request, template, {"number": number, "matches": matches})
    return JsonResponse(
        {
            "number": number,
            "candidates": callerid.candidates(number, region),
            "matches": matches,
        },
        json_dumps_params={"ensure_ascii": False},
    )
