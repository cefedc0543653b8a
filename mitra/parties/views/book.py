"""The party pickers' lookup and the phone and address book (A21)."""

from django.contrib.auth.decorators import login_required

from mitra.core.policy import (
    Action,
    require_module,
)

from ..chrome import render_page as _render
from ..lists import BOOK
from ..models import (
    Address,
    ContactPoint,
    Kind,
    Party,
    PartyRole,
)
from ..search import search_parties
from .common import MODULE, render_list
from .listing import _decorate, _role_labels


@login_required
def party_lookup(request):
    """<option>s for the party pickers' datalist (code and name), at most 10."""
    require_module(request.user, MODULE, Action.VIEW)
    q = (
        request.GET.get("q", "").strip()[:100]
        or request.GET.get("other", "").strip()[:100]
        or request.GET.get("person", "").strip()[:100]
    )
    parties = []
    if len(q) >= 2:
        qs = Party.objects.visible_to(request.user)
        if request.GET.get("kind") in Kind.values:
            qs = qs.filter(kind=request.GET["kind"])
        parties = list(search_parties(qs, q).order_by("-priority", "search_name", "pk")[:10])
    return _render(request, "parties/_lookup.html", {"parties": parties})


# -- phone and address book (A21) ------------------------------------------------------------


@login_required
def phone_book(request):
    require_module(request.user, MODULE, Action.VIEW)
    listing = BOOK.bind(request, Party.objects.visible_to(request.user))
    if (total := listing.lazy_total()) is not None:
        return total
    _book_rows(listing.paginate())
    return render_list(
        request, listing, "parties/phone_book.html", {"q": listing.applied.get("q", "")}
    )


def _book_rows(page):
    """The phone book's page: roles and every contact point and address, three queries."""
    _decorate(page.object_list)
    ids = [p.pk for p in page.object_list]
    if not ids:
        return
    roles = _role_labels(PartyRole.objects.filter(party_id__in=ids).values_list("party_id", "role"))
    points, places = {}, {}
    for c in ContactPoint.objects.filter(party_id__in=ids).order_by("-is_primary", "pk"):
        points.setdefault(c.party_id, []).append(c)
    for a in Address.objects.filter(party_id__in=ids).order_by("-is_primary", "pk"):
        places.setdefault(a.party_id, []).append(a)
    for p in page.object_list:
        p.role_labels = roles.get(p.pk, [])
        p.contact_points_list = points.get(p.pk, [])
        p.address_list = places.get(p.pk, [])


# One query for the list's roles, contact points and addresses. The ORM's cost of
# building and reading three small queries was larger than the database's work; the
