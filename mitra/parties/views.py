"""Screens of the customer database: list, 360 page, forms, phone book, groups, ratings,
trash and the approval queue. Thin views: access helper → form → action → response."""

from collections import namedtuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.countries import country_name
from mitra.core.forms import apply_errors as _attach_errors
from mitra.core.idempotency import create_once
from mitra.core.labels import localized
from mitra.core.lists import back_url as _next_url
from mitra.core.policy import (
    Action,
    can_configure,
    get_for_user,
    is_public_id,
    require_configure,
    require_module,
)
from mitra.core.tables.paging import keyset_page_for, lazy_total, paginate
from mitra.users.models import User

from . import actions, uploads
from .chrome import chrome
from .chrome import perms as _perms
from .chrome import render_page as _render
from .duplicates import find_duplicates
from .filters import filter_choices
from .forms import (
    AddressFormSet,
    ContactLinkForm,
    ContactPointFormSet,
    GroupForm,
    LanguageFormSet,
    PartyForm,
    RatingForm,
    RatingLevelForm,
    RelationshipForm,
    error_summary,
    formset_rows,
)
from .history import party_history
from .lists import PARTIES
from .models import (
    Address,
    Contact,
    ContactPoint,
    Group,
    Kind,
    Party,
    PartyRole,
    Priority,
    Rating,
    RatingLevel,
    Relationship,
    RoleKind,
    Stage,
)
from .rows import render_rows
from .search import search_parties
from .tabs import tabs_for

MODULE = "parties"
PER_PAGE = 50
# The list's sort orders (declared in parties.lists): key -> ordering.
SORTS = {sort.key: sort.ordering for sort in PARTIES.sorts}


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


def _with_star(qs, user):
    return qs.annotate(
        is_starred=Exists(
            Party.starred_by.through.objects.filter(party_id=OuterRef("pk"), user_id=user.pk)
        )
    )


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


# -- create / edit ---------------------------------------------------------------------------


def _formsets(request, party):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    instance = party if party.pk else Party()
    return (
        ContactPointFormSet(data, files, instance=instance, prefix="cp"),
        AddressFormSet(data, files, instance=instance, prefix="addr"),
        LanguageFormSet(data, files, instance=instance, prefix="lang"),
    )


def _rows(cp_fs, addr_fs, lang_fs):
    return {
        "contact_points": formset_rows(cp_fs, actions.CONTACT_POINT_FIELDS),
        "addresses": formset_rows(addr_fs, actions.ADDRESS_FIELDS),
        "languages": formset_rows(lang_fs, actions.LANGUAGE_FIELDS),
    }


@login_required
@create_once
def party_create(request):
    require_module(request.user, MODULE, Action.CREATE)
    initial = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.PERSON
    }
    files = uploads.files_with_pending(request, UPLOAD_FIELDS)
    form = PartyForm(request.POST or None, files or None, initial=initial)
    cp_fs, addr_fs, lang_fs = _formsets(request, Party())
    duplicates = []
    if request.method == "POST" and all(f.is_valid() for f in (form, cp_fs, addr_fs, lang_fs)):
        rows = _rows(cp_fs, addr_fs, lang_fs)
        values = form.values()
        if not request.POST.get("create_anyway"):
            duplicates = _duplicates(request.user, values, rows["contact_points"])
        if not duplicates:
            try:
                party = actions.create_party(
                    acting_user=request.user, values=values, **form.related(), **rows
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                uploads.forget(request, form, UPLOAD_FIELDS)
                messages.success(request, _("%(name)s was added.") % {"name": party})
                return redirect("parties:detail", public_id=party.public_id)
    uploads.keep_pending(request, form, UPLOAD_FIELDS)
    return _render(
        request,
        "parties/party_form.html",
        {
            "form": form,
            "cp_fs": cp_fs,
            "addr_fs": addr_fs,
            "lang_fs": lang_fs,
            "party": None,
            "duplicates": duplicates,
            "form_errors": _error_summary(form, cp_fs, addr_fs, lang_fs),
        },
    )


# File fields of the party form kept across a submit that did not save (`uploads`).
UPLOAD_FIELDS = ["photo"]


def _error_summary(form, cp_fs, addr_fs, lang_fs):
    return error_summary(
        form,
        [
            (_("Phones, emails and websites"), cp_fs),
            (_("Addresses"), addr_fs),
            (_("Foreign languages"), lang_fs),
        ],
    )


def _duplicates(user, values, points, party=None):
    """Parties the duplicate rules match to the one being saved. On edit (`party`), only
    when what the rules compare (name, phones, emails, IDs) changes."""
    name = values.get("name") or " ".join(
        p for p in (values.get("first_name", ""), values.get("last_name", "")) if p
    )
    probe = {
        "name": name,
        "phones": [r["value"] for r in points if r["kind"] in ContactPoint.PHONE_KINDS],
        "emails": [r["value"] for r in points if r["kind"] == ContactPoint.Kind.EMAIL],
        "national_id": values.get("national_id", ""),
        "tax_id": values.get("tax_id", ""),
    }
    if party is not None:
        stored = list(party.contact_points.values_list("kind", "value"))
        before = {
            "name": party.name,
            "phones": [v for k, v in stored if k in ContactPoint.PHONE_KINDS],
            "emails": [v for k, v in stored if k == ContactPoint.Kind.EMAIL],
            "national_id": party.national_id,
            "tax_id": party.tax_id,
        }
        if all(
            sorted(probe[k]) == sorted(before[k]) if isinstance(probe[k], list) else
            (probe[k] or "") == (before[k] or "")
            for k in probe
        ):  # fmt: skip
            return []
    return find_duplicates(user, exclude_pk=party.pk if party else None, **probe)


@login_required
def party_edit(request, public_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    files = uploads.files_with_pending(request, UPLOAD_FIELDS)
    form = PartyForm(request.POST or None, files or None, instance=party)
    cp_fs, addr_fs, lang_fs = _formsets(request, party)
    duplicates = []
    if request.method == "POST" and all(f.is_valid() for f in (form, cp_fs, addr_fs, lang_fs)):
        rows = _rows(cp_fs, addr_fs, lang_fs)
        # form.instance now holds the new values in memory; the action reads the stored row.
        stored = Party.objects.get(pk=party.pk)
        if form.expected_version is not None:
            stored.version = form.expected_version  # a save by someone else since is refused
        if not request.POST.get("create_anyway"):
            duplicates = _duplicates(request.user, form.values(), rows["contact_points"], stored)
        if not duplicates:
            try:
                party, cr = actions.update_party(
                    stored,
                    acting_user=request.user,
                    values=form.values(),
                    **form.related(),
                    **rows,
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                uploads.forget(request, form, UPLOAD_FIELDS)
                if cr is not None:
                    messages.info(request, _("Your changes were sent to a team lead for approval."))
                else:
                    messages.success(request, _("%(name)s was saved.") % {"name": party})
                return redirect("parties:detail", public_id=party.public_id)
    uploads.keep_pending(request, form, UPLOAD_FIELDS)
    return _render(
        request,
        "parties/party_form.html",
        {
            "form": form,
            "cp_fs": cp_fs,
            "addr_fs": addr_fs,
            "lang_fs": lang_fs,
            "party": party,
            "duplicates": duplicates,
            "form_errors": _error_summary(form, cp_fs, addr_fs, lang_fs),
            "needs_approval": actions.needs_approval(request.user),
        },
    )


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


# -- record actions ----------------------------------------------------------------------------


@login_required
@require_POST
def party_delete(request, public_id):
    party = get_for_user(request.user, Party, Action.DELETE, public_id=public_id)
    actions.trash_party(party, acting_user=request.user)
    messages.success(request, _("%(name)s was moved to the trash.") % {"name": party})
    return redirect("parties:list")


@login_required
@require_POST
def party_star(request, public_id):
    party = get_for_user(request.user, Party, Action.STAR, public_id=public_id)
    starred = request.POST.get("starred") == "1"
    actions.set_star(party, starred, acting_user=request.user)
    if request.htmx:
        party.is_starred = starred
        return _render(request, "parties/_star.html", {"p": party})
    return redirect(_next_url(request, _back_to(party)))


@login_required
@require_POST
def party_set_active(request, public_id):
    party = get_for_user(request.user, Party, Action.ACTIVATE, public_id=public_id)
    _party, cr = actions.set_active(
        party, request.POST.get("active") == "1", acting_user=request.user
    )
    if cr is not None:
        messages.info(request, _("Your change was sent to a team lead for approval."))
    return redirect(_next_url(request, _back_to(party)))


@login_required
def party_photo(request, public_id):
    party = get_for_user(request.user, Party, public_id=public_id)
    if not party.photo:
        raise Http404
    try:
        return FileResponse(party.photo.open("rb"))
    except FileNotFoundError as exc:
        raise Http404 from exc


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
    qs, applied = filtered_parties(request)
    if (total := lazy_total(request, qs)) is not None:
        return total
    page = keyset_page_for(request, qs, SORTS["name"], PER_PAGE, count="lazy")
    _book_rows(page)
    template = (
        "parties/phone_book.html#rows"
        if request.htmx and request.htmx.target == "rows"
        else "parties/phone_book.html"
    )
    return _render(request, template, {"page": page, "q": applied.get("q", ""), "applied": applied})


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
    page = paginate(request, qs.order_by("-deleted_at", "-pk"), PER_PAGE)
    return _render(request, "parties/trash.html", {"page": page})


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


# -- approvals (A17): the screen is the core approval engine's (/approvals/) ---------------------


def approvals(request):
    """The old address of the approvals screen."""
    return redirect("approvals:list")


# -- groups (A7) -----------------------------------------------------------------------------------


@login_required
def group_list(request):
    require_module(request.user, MODULE, Action.VIEW)
    groups = list(Group.objects.order_by("path").annotate(member_count=Count("memberships")))
    # Sort siblings by name while keeping the tree: sort key is the chain of names.
    by_id = {g.pk: g for g in groups}
    for g in groups:
        chain = [
            by_id[int(i)].label.casefold()
            for i in g.path.strip("/").split("/")
            if i and int(i) in by_id
        ]
        g.sort_key = chain
    groups.sort(key=lambda g: g.sort_key)
    perms = _config_rights(request.user)
    return _render(
        request,
        "parties/group_list.html",
        {"groups": groups, "config": perms, "form": GroupForm() if perms[Action.CREATE] else None},
    )


def _config_rights(user):
    """Rights on the shared settings screens: one switch for create, edit and delete."""
    allowed = can_configure(user)
    return {Action.CREATE: allowed, Action.EDIT: allowed, Action.DELETE: allowed}


@login_required
def group_edit(request, public_id=None):
    require_module(request.user, MODULE, Action.VIEW)
    require_configure(request.user)
    if public_id:
        group = Group.objects.filter(public_id=public_id).first()
        if group is None:
            raise Http404
    else:
        group = Group()
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
    require_configure(request.user)
    group = Group.objects.filter(public_id=public_id).first()
    if group is None:
        raise Http404
    try:
        actions.delete_group(group, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Group %(name)s deleted.") % {"name": group})
    return redirect("parties:groups")


# -- rating levels (A8) -------------------------------------------------------------------------------


@login_required
def rating_levels(request, public_id=None):
    require_module(request.user, MODULE, Action.VIEW)
    level = RatingLevel.objects.filter(public_id=public_id).first() if public_id else RatingLevel()
    if public_id and level is None:
        raise Http404
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
    return _render(
        request,
        "parties/rating_levels.html",
        {"levels": levels, "form": form, "level": level, "config": _config_rights(request.user)},
    )


@login_required
@require_POST
def rating_level_delete(request, public_id):
    require_configure(request.user)
    level = RatingLevel.objects.filter(public_id=public_id).first()
    if level is None:
        raise Http404
    try:
        actions.delete_rating_level(level, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rating %(name)s deleted.") % {"name": level})
    return redirect("parties:ratings")
