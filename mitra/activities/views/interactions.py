"""Interactions (C1): list, log, detail, edit, delete, quick log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.exports import FORMATS, ExportSpec
from mitra.core.forms import apply_errors as _apply_errors
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
    InteractionFilterForm,
    InteractionForm,
    QuickLogForm,
)
from ..lists import INTERACTIONS, NoParty
from ..models import (
    Interaction,
    InteractionTarget,
)
from .common import (
    _attachments_context,
    _parties_of,
    _party_from_query,
    _party_targets,
    _party_url,
    _render,
    _rights,
    save_edit,
    save_new_from_party,
)

# -- interactions (C1) ----------------------------------------------------------------------


def _interaction_rows(qs, user=None):
    return qs.select_related("user", "result", "reason", "medium").prefetch_related(
        _party_targets(InteractionTarget, user)
    )


@login_required
def interaction_list(request):
    require_module(request.user, "interactions", Action.VIEW)
    form = InteractionFilterForm(request.GET or None)
    form.is_valid()  # shows what it cannot read; the list's filters do the narrowing
    listing = INTERACTIONS.bind(request, Interaction.objects.visible_to(request.user))
    party = listing.values.get("party")
    if isinstance(party, NoParty):
        form.add_error("party", party.message)
    listing.paginate(_interaction_rows(listing.queryset, request.user))
    return listing.render(
        "activities/interaction_list.html",
        {
            "form": form,
            "party": party if hasattr(party, "pk") else None,  # a party named by code or name
            "can_create": has_module_perm(request.user, "interactions", Action.CREATE),
            "can_export": has_module_perm(request.user, "interactions", Action.EXPORT),
        },
    )


@login_required
def interaction_export(request, fmt):
    """The filtered interactions as CSV or Excel, in the list's order."""
    require_module(request.user, "interactions", Action.EXPORT)
    if fmt not in FORMATS:
        raise Http404
    listing = INTERACTIONS.bind(request, Interaction.objects.visible_to(request.user))
    spec = ExportSpec(
        INTERACTIONS.export_columns(),
        select_related=["user", "result", "reason"],
        prefetch_related=[_party_targets(InteractionTarget)],
    )
    return listing.export(fmt, "interactions", spec)


@login_required
@create_once
def interaction_create(request):
    require_module(request.user, "interactions", Action.CREATE)
    party = _party_from_query(request)
    form = InteractionForm(
        request.POST or None, user=request.user, parties=[party] if party else None
    )

    def save(data):
        parties = data.pop("parties")
        return actions.log_interaction(acting_user=request.user, parties=parties, **data)

    return save_new_from_party(
        request, form, save, kind="interaction", plural="interactions", party=party,
        message=_("The interaction was logged."), title=_("Log an interaction"),
    )  # fmt: skip


@login_required
def interaction_detail(request, public_id):
    interaction = get_for_user(
        request.user,
        Interaction.objects.select_related("user", "result", "reason", "medium", "owner"),
        public_id=public_id,
    )
    return _render(
        request,
        "activities/interaction_detail.html",
        {
            "obj": interaction,
            "parties": _parties_of(interaction, InteractionTarget, "interaction", request.user),
            "followups": list(interaction.followups.visible_to(request.user)),
            "rights": _rights(request.user, interaction),
            **_attachments_context(request, "interaction", interaction),
        },
    )


@login_required
def interaction_edit(request, public_id):
    interaction = get_for_user(request.user, Interaction, Action.EDIT, public_id=public_id)
    parties = _parties_of(interaction, InteractionTarget, "interaction")
    form = InteractionForm(
        request.POST or None, instance=interaction, user=request.user, parties=parties
    )

    def save(data):
        new_parties = data.pop("parties")
        actions.update_interaction(
            interaction, acting_user=request.user, parties=new_parties, **data
        )
        return interaction

    return save_edit(
        request, form, save, kind="interaction", obj=interaction,
        message=_("The interaction was saved."), title=_("Edit interaction"),
        context={"party_picker": True},
    )  # fmt: skip


@login_required
@require_POST
def interaction_delete(request, public_id):
    interaction = get_for_user(request.user, Interaction, Action.DELETE, public_id=public_id)
    actions.delete_interaction(interaction, acting_user=request.user)
    messages.success(request, _("The interaction was deleted."))
    return redirect(_safe_next(request, reverse("activities:interactions")))


@login_required
def quick_log(request):
    """A few fields to log a contact with one party, from its page or a search result."""
    require_module(request.user, "interactions", Action.CREATE)
    party = _party_from_query(request)
    if party is None:
        raise Http404
    form = QuickLogForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_interaction(acting_user=request.user, parties=[party], **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if request.htmx:
                response = _render(
                    request,
                    "activities/quick_log.html#form",
                    {"form": QuickLogForm(user=request.user), "party": party, "logged": True},
                )
                response["HX-Trigger"] = "activity-logged"
                return response
            messages.success(request, _("The interaction was logged."))
            return redirect(_safe_next(request, _party_url(party)))
    template = "activities/quick_log.html"
    if request.htmx:
        template += "#form"
    return _render(request, template, {"form": form, "party": party})
