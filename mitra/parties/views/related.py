"""The rows of the 360 page's tabs: ratings, relationships and contacts (add, remove)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.lists import back_url as _next_url
from mitra.core.policy import (
    Action,
    get_for_user,
)

from .. import actions
from ..forms import (
    ContactLinkForm,
    RatingForm,
    RelationshipForm,
)
from ..models import (
    Contact,
    Party,
    Rating,
    Relationship,
)
from .detail import _back_to


@login_required
@require_POST
def rating_add(request, public_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        actions.add_rating(party, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Rating added."))
    else:
        messages.error(request, _form_errors(form))
    return redirect(_back_to(party, "profile"))


@login_required
@require_POST
def rating_remove(request, public_id):
    rating = (
        Rating.objects.filter(public_id=public_id, party__in=Party.objects.visible_to(request.user))
        .select_related("party")
        .first()
    )
    if rating is None:
        raise Http404
    actions.remove_rating(rating, acting_user=request.user)
    messages.success(request, _("Rating removed."))
    return redirect(_back_to(rating.party, "profile"))


def _form_errors(form):
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


@login_required
@require_POST
def relationship_add(request, public_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    form = RelationshipForm(request.POST, user=request.user, party=party)
    if form.is_valid():
        try:
            actions.add_relationship(
                party, form.cleaned_data["other"], form.cleaned_data["kind"],
                acting_user=request.user, note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Relationship added."))
    else:
        messages.error(request, _form_errors(form))
    return redirect(_back_to(party, "relationships"))


@login_required
@require_POST
def relationship_remove(request, public_id):
    visible = Party.objects.visible_to(request.user)
    rel = (
        Relationship.objects.filter(public_id=public_id, from_party__in=visible)
        .select_related("from_party", "to_party")
        .first()
        or Relationship.objects.filter(public_id=public_id, to_party__in=visible)
        .select_related("from_party", "to_party")
        .first()
    )
    if rel is None:
        raise Http404
    actions.remove_relationship(rel, acting_user=request.user)
    messages.success(request, _("Relationship removed."))
    back = rel.from_party if visible.filter(pk=rel.from_party_id).exists() else rel.to_party
    return redirect(_next_url(request, _back_to(back, "relationships")))


@login_required
@require_POST
def contact_add(request, public_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    form = ContactLinkForm(request.POST, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            actions.link_contact(party, person, acting_user=request.user, **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is now a contact.") % {"name": person})
    else:
        messages.error(request, _form_errors(form))
    return redirect(_back_to(party, "contacts"))


@login_required
@require_POST
def contact_remove(request, public_id, person_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    contact = Contact.objects.filter(organisation=party, person__public_id=person_id).first()
    if contact is None:
        raise Http404
    actions.unlink_contact(contact, acting_user=request.user)
    messages.success(request, _("Contact removed."))
    return redirect(_back_to(party, "contacts"))
