from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mitra.core.policy import Action, require_module


@login_required
def party_list(request):
    require_module(request.user, "parties", Action.VIEW)
    return render(request, "parties/party_list.html", {})
