"""Configuration screens: groups (A7) and rating levels (A8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.forms import apply_errors as _attach_errors
from mitra.core.policy import (
    Action,
    can_configure,
    require_configure,
    require_module,
)

from .. import actions
from ..chrome import render_page as _render
from ..forms import (
    GroupForm,
    RatingLevelForm,
)
from ..lists import GROUPS, RATING_LEVELS
from ..models import (
    Group,
    RatingLevel,
)
from .common import MODULE, render_list

# -- groups (A7) -----------------------------------------------------------------------------------


@login_required
def group_list(request):
    require_module(request.user, MODULE, Action.VIEW)
    qs = Group.objects.annotate(member_count=Count("memberships"))
    listing = GROUPS.bind(request, qs)
    page = listing.paginate(numbered=True)
    groups = list(page.object_list)
    # Siblings by name while keeping the tree: the sort key is the chain of names (the
    # page holds every group; a filtered page keeps its matches in tree order).
    by_id = {g.pk: g for g in groups}
    for g in groups:
        g.sort_key = [
            by_id[int(i)].label.casefold()
            for i in g.path.strip("/").split("/")
            if i and int(i) in by_id
        ]
    groups.sort(key=lambda g: g.sort_key)
    page.object_list = groups
    config = _config_rights(request.user)
    context = {
        "config": config,
        "empty_create_url": reverse("parties:group_create") if config[Action.CREATE] else "",
    }
    return render_list(
        request, listing, "parties/group_list.html", context, row_context={"rights": config}
    )


def _config_rights(user):
    """Rights on the shared settings screens: one switch for create, edit and delete."""
    allowed = can_configure(user)
    return {Action.CREATE: allowed, Action.EDIT: allowed, Action.DELETE: allowed}


@login_required
def group_edit(request, public_id=None):
    require_module(request.user, MODULE, Action.VIEW)
    require_configure(request.user)
    group = get_object_or_404(Group, public_id=public_id) if public_id else Group()
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_group(form.instance, acting_user=request.user)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("Group %(name)s saved.") % {"name": form.instance})
            return redirect("parties:groups")
    return _render(request, "parties/group_form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_delete(request, public_id):
    return _delete_setting(
        request,
        Group,
        public_id,
        actions.delete_group,
        _("Group %(name)s deleted."),
        "parties:groups",
    )


def _delete_setting(request, model, public_id, delete, message, list_url):
    """Delete one shared setting (a group, a rating level) for a user who may configure:
    404 for an unknown one; a rule that refuses (still in use) is shown, nothing deleted."""
    require_configure(request.user)
    obj = get_object_or_404(model, public_id=public_id)
    try:
        delete(obj, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message % {"name": obj})
    return redirect(list_url)


# -- rating levels (A8) -------------------------------------------------------------------------------


@login_required
def rating_levels(request, public_id=None):
    require_module(request.user, MODULE, Action.VIEW)
    level = get_object_or_404(RatingLevel, public_id=public_id) if public_id else RatingLevel()
    form = RatingLevelForm(request.POST or None, instance=level)
    if request.method == "POST":
        require_configure(request.user)
        if form.is_valid():
            try:
                actions.save_rating_level(form.instance, acting_user=request.user)
            except ValidationError as exc:  # a save by someone else got there first
                _attach_errors(form, exc)
            else:
                messages.success(request, _("Rating %(name)s saved.") % {"name": form.instance})
                return redirect("parties:ratings")
    levels = RatingLevel.objects.annotate(party_count=Count("ratings__party", distinct=True))
    listing = RATING_LEVELS.bind(request, levels)
    listing.paginate(numbered=True)
    config = _config_rights(request.user)
    context = {"form": form, "level": level, "config": config}
    return render_list(
        request, listing, "parties/rating_levels.html", context, row_context={"rights": config}
    )


@login_required
@require_POST
def rating_level_delete(request, public_id):
    return _delete_setting(
        request,
        RatingLevel,
        public_id,
        actions.delete_rating_level,
        _("Rating %(name)s deleted."),
        "parties:ratings",
    )
