"""The party list's "Columns" menu: which optional columns the user sees."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mitra.core.lists import back_url, chosen_columns, save_columns
from mitra.core.policy import Action, require_module

KEY = "parties"
# Name (with code and kind) and the star are always shown.
COLUMNS = {
    "roles": _("Roles"),
    "stage": _("Stage"),
    "phone": _("Phone"),
    "email": _("Email"),
    "city": _("City"),
    "rating": _("Rating"),
}
# Fits a 1366-pixel screen beside the sidebar, in all three languages.
DEFAULT = ("roles", "phone", "email", "city")


def list_columns(request):
    return chosen_columns(request, KEY, COLUMNS, DEFAULT)


def column_menu(request):
    """(key, label, shown) for the menu, and the chosen keys."""
    shown = list_columns(request)
    return [(k, label, k in shown) for k, label in COLUMNS.items()], shown


@login_required
@require_POST
def party_list_columns(request):
    require_module(request.user, "parties", Action.VIEW)
    values = None if request.POST.get("reset") else request.POST.getlist("cols")
    save_columns(request, KEY, COLUMNS, values)
    return redirect(back_url(request, reverse("parties:list")))
