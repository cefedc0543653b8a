"""The 360 page and its tabs (registered in `parties.apps`; later apps add theirs)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.policy import (
    Action,
    get_for_user,
)

from .. import actions
from ..chrome import perms as _perms
from ..chrome import render_page as _render
from ..forms import (
    ContactLinkForm,
    RatingForm,
    RelationshipForm,
)
from ..history import party_history
from ..models import (
    Contact,
    Party,
    RatingLevel,
    Relationship,
)
from ..tabs import tabs_for
from .common import _with_star

# -- the 360 page ------------------------------------------------------------------------------


def _party_for_360(user, public_id):
    qs = Party.objects.select_related("owner", "team", "rating")
    pending = ApprovalRequest.objects.filter(
        content_type__app_label="parties",
        content_type__model="party",
        object_id=OuterRef("pk"),
        status=ApprovalRequest.Status.PENDING,
    )
    qs = _with_star(qs, user).annotate(pending_changes=Exists(pending))
    return get_for_user(user, qs, public_id=public_id)


@login_required
def party_detail(request, public_id, tab=None):
    party = _party_for_360(request.user, public_id)
    tabs = tabs_for(request.user, party)
    key = tab or request.GET.get("tab") or (tabs[0].key if tabs else "overview")
    current = next((t for t in tabs if t.key == key), None)
    if current is None:
        raise Http404
    content = current.render(request, party)
    context = {"party": party, "tabs": tabs, "current": current, "content": content}
    if request.htmx and request.htmx.target == "tab-card":
        # The tab strip comes along so that the open tab is the one marked.
        return _render(request, "parties/party_detail.html#tabcard", context)
    context["can_approve"] = party.pending_changes and actions.can_approve(request.user)
    return _render(request, "parties/party_detail.html", context)


def _overview_tab(request, party):
    party_roles = list(party.roles.all())
    points = list(party.contact_points.all())
    addresses = list(party.addresses.all())
    groups = list(party.groups.all())
    managers = list(party.managers.all())
    return render_to_string(
        "parties/tabs/overview.html",
        {
            "party": party,
            "party_roles": party_roles,
            "points": points,
            "addresses": addresses,
            "groups": groups,
            "managers": managers,
        },
        request=request,
    )


def _profile_tab(request, party):
    ratings = list(party.ratings.select_related("level", "rated_by"))
    perms = _perms(request.user)
    return render_to_string(
        "parties/tabs/profile.html",
        {
            "party": party,
            "languages": list(party.languages.all()),
            "ratings": ratings,
            "rating_form": RatingForm(initial={"starts_on": None}) if perms[Action.EDIT] else None,
            "has_levels": RatingLevel.objects.exists(),
            "rights": perms,
        },
        request=request,
    )


def _contacts_tab(request, party):
    perms = _perms(request.user)
    visible = Party.objects.visible_to(request.user)
    if party.is_organisation:
        links = list(
            Contact.objects.filter(organisation=party, person__in=visible).select_related("person")
        )
    else:
        links = list(
            Contact.objects.filter(person=party, organisation__in=visible).select_related(
                "organisation"
            )
        )
    return render_to_string(
        "parties/tabs/contacts.html",
        {
            "party": party,
            "links": links,
            "form": ContactLinkForm(user=request.user)
            if perms[Action.EDIT] and party.is_organisation
            else None,
            "rights": perms,
        },
        request=request,
    )


def _relationships_tab(request, party):
    perms = _perms(request.user)
    visible = Party.objects.visible_to(request.user)
    outgoing = list(
        Relationship.objects.filter(from_party=party, to_party__in=visible).select_related(
            "to_party"
        )
    )
    incoming = list(
        Relationship.objects.filter(to_party=party, from_party__in=visible).select_related(
            "from_party"
        )
    )
    return render_to_string(
        "parties/tabs/relationships.html",
        {
            "party": party,
            "outgoing": outgoing,
            "incoming": incoming,
            "relationship_count": len(outgoing) + len(incoming),
            "roles": list(party.roles.all()),
            "groups": list(party.groups.all()),
            "contact_count": Contact.objects.filter(organisation=party).count()
            + Contact.objects.filter(person=party).count(),
            "dependencies": _dependencies(party),
            "form": RelationshipForm(user=request.user, party=party)
            if perms[Action.EDIT]
            else None,
            "rights": perms,
        },
        request=request,
    )


def _dependencies(party):
    """Records of other apps pointing at this party: (label, count)."""
    out = []
    for rel in Party._meta.related_objects:
        model = rel.related_model
        if model._meta.app_label == "parties" or rel.many_to_many or not rel.field.concrete:
            continue
        n = model._base_manager.filter(**{rel.field.name: party}).count()
        if n:
            out.append((model._meta.verbose_name_plural if n != 1 else model._meta.verbose_name, n))
    return out


def _history_tab(request, party):
    rows = party_history(party, request.user)
    return render_to_string(
        "parties/tabs/history.html", {"party": party, "rows": rows}, request=request
    )


def _back_to(party, tab=None):
    url = reverse("parties:detail", args=[party.public_id])
    return f"{url}?tab={tab}" if tab else url
