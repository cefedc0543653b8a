from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from .home import home_panels
from .lists import back_url
from .registry import search_providers


@login_required
def home(request):
    panels = home_panels(request)
    return render(request, "core/home.html", {"today": timezone.localdate(), "panels": panels})


@login_required
def search(request):
    """The top-bar search: each registered provider returns a titled group of ranked hits.

    Groups come best first (a provider may give a `rank`, lower is better: an exact hit).
    htmx asks for the dropdown under the top-bar box or the results block of this page.
    """
    q = request.GET.get("q", "").strip()[:200]
    groups = []
    if q:
        for provider in search_providers():
            answer = provider(request.user, q)
            for group in answer if isinstance(answer, list | tuple) else [answer]:
                if group and group.get("results"):
                    groups.append(group)
        groups.sort(key=lambda g: g.get("rank", 50))
    template = "core/search.html"
    if request.htmx:
        dropdown = request.htmx.target == "global-search-menu"
        template += "#dropdown" if dropdown else "#results"
    return render(request, template, {"q": q, "groups": groups})


@require_POST
def set_language(request):
    """Switch the interface language; saved on the user so it follows them to any device."""
    language = request.POST.get("language", "")
    next_url = back_url(request, "/")
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            # The language only: calendar and digits are preferences of their own (a new
            # user's first pick brings its defaults, see User.choose_language).
            fields = request.user.choose_language(language)
            request.user._history_user = request.user
            request.user.save(update_fields=fields)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
