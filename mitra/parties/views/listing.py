"""The party list and its bulk actions (the declaration is `parties.lists`)."""

from collections import namedtuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.countries import country_name
from mitra.core.labels import localized
from mitra.core.lists import back_url as _next_url
from mitra.core.policy import (
    Action,
    is_public_id,
    require_module,
)
from mitra.users.models import User

from .. import actions
from ..chrome import chrome
from ..chrome import perms as _perms
from ..filters import filter_choices
from ..lists import PARTIES
from ..models import (
    Address,
    ContactPoint,
    Group,
    Kind,
    Party,
    PartyRole,
    Priority,
    RoleKind,
    Stage,
)
from ..rows import render_rows
from .common import MODULE, PER_PAGE, _with_star

# -- the list ------------------------------------------------------------------------------


def filtered_parties(request, queryset=None):
    """The parties `request.user` may see, narrowed by the list's GET filters (the
    declaration in `parties.lists`, which the API's party list uses too).

    Also used by the export (`parties:export`) so an export holds what the list shows.
    Returns (queryset, applied filters).
    """
    qs = Party.objects.visible_to(request.user) if queryset is None else queryset
    listing = PARTIES.bind(request, qs)
    return listing.queryset, listing.applied


# The columns the list's rows show (see rows.py), read as plain values: building 50
# Party and 50 RatingLevel instances took ten times as long as the query itself.
LIST_PARTY_FIELDS = (
    "id", "public_id", "kind", "code", "name", "search_name", "prefix", "stage", "priority",
    "colour", "icon", "is_active", "updated_at", "rating__name", "rating__colour", "is_starred",
    "rating__labels",
)  # fmt: skip


_ListRating = namedtuple("_ListRating", "name colour")


class _ListParty:
    """One row of the list: the values above as attributes, with Party's own name rules."""

    full_name = Party.full_name
    initials = Party.initials
    is_person = Party.is_person

    def __init__(self, values):
        name = values.pop("rating__name", None)
        colour = values.pop("rating__colour", "")
        name = localized(name, values.pop("rating__labels", None))
        self.__dict__.update(values)
        self.pk = values["id"]
        self.rating = _ListRating(name, colour) if name is not None else None


class _ListPoint:
    """The first phone or email of a list row: ContactPoint's link and label, no model.

    A page reads about three contact points per party; building a model instance for
    each was a fifth of the list's time. The properties are ContactPoint's own, so the
    list shows exactly what the 360 page shows.
    """

    __slots__ = ("kind", "value", "e164", "extension")
    Kind = ContactPoint.Kind
    PHONE_KINDS = ContactPoint.PHONE_KINDS
    is_phone = ContactPoint.is_phone
    href = ContactPoint.href
    display = ContactPoint.display

    def __init__(self, kind, value, e164, extension):
        self.kind, self.value, self.e164, self.extension = kind, value, e164, extension


_ListPlace = namedtuple("_ListPlace", "city country")


def _decorate(parties):
    """Labels and URLs of a page of parties: translated once per page, one reverse()."""
    stage_labels = {k: str(v) for k, v in Stage.choices}
    kind_labels = {k: str(v) for k, v in Kind.choices}
    priority_labels = {k: str(v) for k, v in Priority.choices}
    base = reverse("parties:list")
    for p in parties:
        p.stage_label = stage_labels.get(p.stage, p.stage)
        p.kind_label = kind_labels.get(p.kind, p.kind)
        p.priority_label = priority_labels.get(p.priority, p.priority)
        p.url = f"{base}{p.public_id}/"
        p.star_url = f"{base}{p.public_id}/star/"


def _role_labels(rows):
    """{party id: [role label, …]} from (party id, role) rows, in RoleKind's order."""
    order = {k: (i, str(label)) for i, (k, label) in enumerate(RoleKind.choices)}
    found = {}
    for party_id, role in rows:
        found.setdefault(party_id, []).append(order.get(role, (99, role)))
    return {pk: [label for _i, label in sorted(items)] for pk, items in found.items()}


# One query for the list's roles, contact points and addresses. The ORM's cost of
# building and reading three small queries was larger than the database's work; the
# SQL is plain enough for SQLite, PostgreSQL and MariaDB alike.
LIST_DETAILS_SQL = """
SELECT 0, party_id, role, '', '', '', FALSE, id FROM {roles} WHERE party_id IN ({ids})
UNION ALL
SELECT 1, party_id, kind, value, e164, extension, is_primary, id FROM {points}
  WHERE party_id IN ({ids}) AND kind IN ({kinds})
UNION ALL
SELECT 2, party_id, city, country, '', '', is_primary, id FROM {places}
  WHERE party_id IN ({ids})
ORDER BY 1, 7 DESC, 8
"""


def _list_rows(parties):
    """The list's page: roles, first phone, first email and first address per party."""
    _decorate(parties)
    ids = [p.pk for p in parties]
    role_rows, points, places = [], {}, {}
    if ids:
        kinds = [str(k) for k in (*ContactPoint.PHONE_KINDS, ContactPoint.Kind.EMAIL)]
        tables = {
            "roles": PartyRole._meta.db_table,
            "points": ContactPoint._meta.db_table,
            "places": Address._meta.db_table,
        }
        if connection.vendor == "postgresql":
            # Arrays: one statement text for any page, so it is prepared once.
            sql = LIST_DETAILS_SQL.replace("IN ({ids})", "= ANY(%s)")
            sql = sql.replace("IN ({kinds})", "= ANY(%s)").format(**tables)
            params = [ids, ids, kinds, ids]
        else:
            sql = LIST_DETAILS_SQL.format(
                **tables, ids=", ".join(["%s"] * len(ids)), kinds=", ".join(["%s"] * len(kinds))
            )
            params = [*ids, *ids, *kinds, *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        phone_kinds = ContactPoint.PHONE_KINDS
        for table, party_id, a, b, c, d, _primary, _pk in rows:
            if table == 0:
                role_rows.append((party_id, a))
            elif table == 1:
                first = points.setdefault(party_id, {})
                slot = "phone" if a in phone_kinds else "email"
                if slot not in first:
                    first[slot] = _ListPoint(a, b, c, d)
            elif party_id not in places:
                places[party_id] = _ListPlace(a, b)
    roles = _role_labels(role_rows)
    for p in parties:
        p.role_labels = roles.get(p.pk, [])
        first = points.get(p.pk, {})
        p.phone, p.email = first.get("phone"), first.get("email")
        p.address = places.get(p.pk)


@login_required
def party_list(request):
    require_module(request.user, MODULE, Action.VIEW)
    listing = PARTIES.bind(request, Party.objects.visible_to(request.user))
    if (total := listing.lazy_total()) is not None:
        return total
    qs = _with_star(listing.queryset, request.user).values(*LIST_PARTY_FIELDS)
    page = listing.paginate(qs, per_page=PER_PAGE)
    page.object_list = [_ListParty(row) for row in page.object_list]
    _list_rows(page.object_list)
    perms = _perms(request.user)
    applied = listing.applied
    rows_html = render_rows(
        page.object_list,
        can_bulk=listing.can_bulk,
        can_star=perms[Action.STAR],
        csrf_token=get_token(request),
        here=request.get_full_path(),
        columns=listing.chosen,
    )
    context = {
        **chrome(request),
        "rows_html": rows_html,
        "table_class": "party-table",
        "empty_create_url": reverse("parties:create") + "?kind=person" if perms["create"] else "",
        "country_label": country_name(applied["country"]) if applied.get("country") else "",
        "q": applied.get("q", ""),
        "choices": filter_choices(),
        "roles": RoleKind.choices,
        "stages": Stage.choices,
        "kinds": Kind.choices,
        "filters_open": bool(set(applied) - {"q"}),
    }
    return listing.render("parties/party_list.html", context)


@login_required
@require_POST
def party_bulk(request):
    back = _next_url(request, reverse("parties:list"))
    # The declared actions (parties.lists): unknown ones, no rows or no right are refused.
    action, ids, response = PARTIES.read_bulk(
        request,
        back=back,
        choose=_("Choose what to do with the selected parties."),
        select=_("Select at least one party."),
    )
    if response is not None:
        return response
    verb = action.key
    if verb == "export":
        # The export page (choose CSV or Excel) with just the selected rows.
        return redirect(f"{reverse('parties:export')}?{urlencode({'ids': ids}, doseq=True)}")
    extra = {}
    if verb == "assign_manager":
        manager = request.POST.get("manager", "")
        extra["user"] = (
            User.objects.filter(is_active=True, public_id=manager).first()
            if is_public_id(manager)
            else None
        )
        if extra["user"] is None:
            messages.error(request, _("Choose the account manager to assign."))
            return redirect(back)
    elif verb == "add_to_group":
        gid = request.POST.get("group", "")
        extra["group"] = Group.objects.filter(public_id=gid).first() if is_public_id(gid) else None
        if extra["group"] is None:
            messages.error(request, _("Choose the group to add them to."))
            return redirect(back)
    elif verb == "set_role":
        extra["role"] = request.POST.get("role")
        if extra["role"] not in RoleKind.values:
            messages.error(request, _("Choose the role to give them."))
            return redirect(back)
    parties = list(Party.objects.visible_to(request.user).filter(public_id__in=ids))
    done, requested, skipped = actions.bulk_apply(parties, verb, acting_user=request.user, **extra)
    messages.success(request, actions.bulk_summary(done, requested, skipped))
    return redirect(back)
