"""The party list's "Columns" menu: which optional columns the user sees (core.tables)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from mitra.core.lists import back_url
from mitra.core.policy import Action, require_module
from mitra.core.tables import prefs

from ..lists import PARTIES


@login_required
@require_POST
def party_list_columns(request):
    require_module(request.user, "parties", Action.VIEW)
    values = None if request.POST.get("reset") else request.POST.getlist("cols")
    prefs.save_columns(request, PARTIES, values)
    return redirect(back_url(request, reverse("parties:list")))
