"""Follow-ups (C3): list, record, edit, delete, a party's chain."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.idempotency import create_once
from mitra.core.lists import back_url as _safe_next
from mitra.core.policy import (
    Action,
    get_for_user,
    has_module_perm,
    require_module,
)

from .. import actions
from ..forms import (
    FollowUpForm,
)
from ..lists import FOLLOWUPS
from ..models import (
    FollowUp,
)
from .common import (
    _party_from_query,
    _party_url,
    _render,
    save_form,
)

# -- follow-ups (C3) ------------------------------------------------------------------------


@login_required
def followup_list(request):
    require_module(request.user, "followups", Action.VIEW)
    today = timezone.localdate()
    listing = FOLLOWUPS.bind(request, FollowUp.objects.visible_to(request.user))
    show = listing.values.get("show")
    if show is None:  # the screen opens on what is due
        show = "due"
        listing.queryset = listing.queryset.due(today)
    if "sort" not in request.GET:
        listing.sort = "-followed" if show == "all" else "next"
    listing.paginate(listing.queryset.select_related("party", "owner"), numbered=True)
    # Effectiveness over the last 12 months: overall and per person.
    since = timezone.now() - dt.timedelta(days=365)
    recent = FollowUp.objects.visible_to(request.user).filter(followed_up_at__gte=since)
    total, won, share = actions.followup_effectiveness(recent)
    per_user = list(
        recent.order_by()
        .values("owner")
        .annotate(n=Count("id"), won=Count("id", filter=Q(led_to_sale=True)))
        .order_by("-n")[:20]
    )
    from mitra.users.models import User

    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r["owner"] for r in per_user])}
    for r in per_user:
        r["name"] = names.get(r["owner"], "—")
        r["share"] = round(100 * r["won"] / r["n"], 1) if r["n"] else None
    return listing.render(
        "activities/followup_list.html",
        {
            "show": show,
            "today": today,
            "effectiveness": {"total": total, "won": won, "share": share},
            "per_user": per_user,
            "can_create": has_module_perm(request.user, "followups", Action.CREATE),
        },
    )


@login_required
@create_once
def followup_create(request):
    require_module(request.user, "followups", Action.CREATE)
    party = _party_from_query(request)
    form = FollowUpForm(request.POST or None, user=request.user, party=party)

    def save(data):
        return actions.record_followup(
            data["party"],
            acting_user=request.user,
            result=data["result"],
            next_date=data["next_date"],
            led_to_sale=data["led_to_sale"],
            followed_up_at=data["followed_up_at"],
        )

    return save_form(
        request, form, save,
        message=_("The follow-up was recorded."),
        success_url=lambda obj: _safe_next(
            request,
            reverse("activities:followup_chain", args=[form.cleaned_data["party"].public_id]),
        ),
        title=_("Record a follow-up"),
        back=_party_url(party) if party else reverse("activities:followups"),
        context={"party_picker": True},
    )  # fmt: skip


@login_required
def followup_edit(request, public_id):
    followup = get_for_user(
        request.user, FollowUp.objects.select_related("party"), Action.EDIT, public_id=public_id
    )
    form = FollowUpForm(request.POST or None, instance=followup, user=request.user)

    def save(data):
        actions.update_followup(followup, acting_user=request.user, **data)
        return followup

    chain = reverse("activities:followup_chain", args=[followup.party.public_id])
    return save_form(
        request, form, save,
        message=_("The follow-up was saved."), success_url=chain,
        title=_("Edit follow-up"), obj=followup, back=chain,
    )  # fmt: skip


@login_required
@require_POST
def followup_delete(request, public_id):
    followup = get_for_user(
        request.user, FollowUp.objects.select_related("party"), Action.DELETE, public_id=public_id
    )
    party = followup.party
    actions.delete_followup(followup, acting_user=request.user)
    messages.success(request, _("The follow-up was deleted."))
    return redirect("activities:followup_chain", public_id=party.public_id)


@login_required
def followup_chain(request, public_id):
    """One party's follow-ups, newest first, with its effectiveness."""
    require_module(request.user, "followups", Action.VIEW)
    from mitra.parties.models import Party

    party = get_for_user(request.user, Party, public_id=public_id)
    qs = FollowUp.objects.visible_to(request.user).filter(party=party).select_related("owner")
    chain = list(qs.order_by("-followed_up_at", "-pk")[:200])
    total, won, share = actions.followup_effectiveness(qs)
    return _render(
        request,
        "activities/followup_chain.html",
        {
            "party": party,
            "chain": chain,
            "effectiveness": {"total": total, "won": won, "share": share},
            "can_create": has_module_perm(request.user, "followups", Action.CREATE),
        },
    )
