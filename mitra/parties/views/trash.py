"""The trash (A16): restore or delete for good."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.policy import (
    Action,
    require_module,
)

from .. import actions
from ..chrome import perms
from ..lists import TRASH
from ..models import (
    Party,
)
from .common import MODULE, render_list

# -- trash (A16) -----------------------------------------------------------------------------


def _trashed_for(user, public_id, action):
    party = Party.all_objects.trashed().visible_to(user).filter(public_id=public_id).first()
    if party is None:
        raise Http404
    if not actions.can_on_trashed(user, action, party):
        raise PermissionDenied
    return party


@login_required
def trash(request):
    require_module(request.user, MODULE, Action.DELETE)
    qs = Party.all_objects.trashed().visible_to(request.user).select_related("deleted_by")
    listing = TRASH.bind(request, qs)
    listing.paginate(numbered=True)
    rights = perms(request.user)
    return render_list(request, listing, "parties/trash.html", row_context={"rights": rights})


@login_required
@require_POST
def trash_restore(request, public_id):
    party = _trashed_for(request.user, public_id, Action.DELETE)
    actions.restore_party(party, acting_user=request.user)
    messages.success(request, _("%(name)s was restored.") % {"name": party})
    return redirect("parties:detail", public_id=party.public_id)


@login_required
@require_POST
def trash_purge(request, public_id):
    party = _trashed_for(request.user, public_id, Action.PURGE)
    try:
        actions.purge_party(party, acting_user=request.user)
    except actions.DeleteBlocked as exc:
        messages.error(
            request,
            _(
                "%(name)s cannot be deleted for good while other records refer to it. "
                "%(reasons)s It stays in the trash."
            )
            % {"name": party, "reasons": " ".join(str(r) for r in exc.reasons)},
        )
    else:
        messages.success(request, _("%(name)s was deleted for good.") % {"name": party})
    return redirect("parties:trash")
