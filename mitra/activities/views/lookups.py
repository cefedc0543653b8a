"""Code lists (settings): the activity codes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mitra.core.policy import (
    Action,
    can_configure,
    require_module,
)

from ..forms import (
    LookupForm,
)
from ..lists import LOOKUPS
from ..models import (
    LOOKUP_MODULE,
    Lookup,
    LookupKind,
)

# -- codes (settings) -----------------------------------------------------------------------


@login_required
def lookup_list(request, public_id=None):
    require_module(request.user, "activity_codes", Action.VIEW)
    instance = None
    if public_id:
        instance = Lookup.objects.filter(module=LOOKUP_MODULE, public_id=public_id).first()
        if instance is None:
            raise Http404
    can_edit = can_configure(request.user)
    # ?kind= preselects the list of a new code; an edited code keeps its own.
    initial = {"kind": request.GET.get("kind")} if instance is None else None
    form = LookupForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except ValidationError as exc:  # a save by someone else got there first
                form.add_error(None, exc)
            else:
                messages.success(request, _("The code was saved."))
                return redirect("activities:lookups")
    listing = LOOKUPS.bind(request, Lookup.objects.filter(module=LOOKUP_MODULE))
    listing.paginate(numbered=True)
    return listing.render(
        "activities/lookup_list.html",
        {
            "kinds": LookupKind.choices,
            "kind": listing.values.get("kind", ""),
            "form": form if can_edit else None,
            "instance": instance,
        },
    )
