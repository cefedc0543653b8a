"""Import and export of parties (A1–A21 data in and out; B2 reuses the import screens).

Export writes what the list shows: the same policy scope and the same filters
(`views.filtered_parties`), optionally only the selected rows (`?ids=`), as CSV or XLSX.
Its column names are the importer's field labels, so an exported file imports back.
"""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from mitra.core.exports import FORMATS, Column, ExportSpec, export_response
from mitra.core.imports.views import ImportSite
from mitra.core.pagination import COUNT_CAP
from mitra.core.policy import Action, require_module

from . import actions
from .importers import PartyImporter
from .models import ContactPoint, Group
from .views import SORTS, _is_uuid, _perms, _render, filtered_parties, url_ready


def _chrome(request):
    """What the parties pages' sub-navigation needs."""
    user = request.user
    return {
        "rights": _perms(user),
        "nav_can_approve": actions.can_approve(user),
        "duplicates_ready": url_ready("parties:duplicates"),
    }


site = ImportSite(
    PartyImporter,
    namespace="parties",
    templates="parties/io",
    back_url_name="parties:list",
    context=_chrome,
)


def _points(kind):
    def value(party):
        return [c.display for c in party.contact_points.all() if c.kind == kind]

    return value


def _address(attr):
    def value(party):
        addresses = party.addresses.all()
        return getattr(addresses[0], attr) if addresses else ""

    return value


def _choice(attr):
    def value(party):
        return (
            getattr(party, f"get_{attr}_display")()
            if getattr(party, attr) not in ("", None)
            else ""
        )

    return value


def group_paths():
    """{group id: "Parent / Child"}: the whole tree in one query (groups are few)."""
    rows = {
        pk: (parent, name)
        for pk, parent, name in Group.objects.values_list("pk", "parent_id", "name")
    }
    paths = {}
    for pk in rows:
        names, node, seen = [], pk, set()
        while node in rows and node not in seen:
            seen.add(node)
            parent, name = rows[node]
            names.append(name)
            node = parent
        paths[pk] = " / ".join(reversed(names))
    return paths


def export_spec():
    paths = group_paths()
    kinds = ContactPoint.Kind
    columns = [
        Column(_("Code"), "code"),
        Column(_("Person or organisation"), _choice("kind")),
        Column(_("Name"), "name"),
        Column(_("Title"), "prefix"),
        Column(_("First name"), "first_name"),
        Column(_("Last name"), "last_name"),
        Column(_("Stage"), _choice("stage")),
        Column(_("Roles"), lambda p: [r.get_role_display() for r in p.roles.all()]),
        Column(_("Phone"), _points(kinds.PHONE)),
        Column(_("Mobile"), _points(kinds.MOBILE)),
        Column(_("Fax"), _points(kinds.FAX)),
        Column(_("Email"), _points(kinds.EMAIL)),
        Column(_("Website"), _points(kinds.WEBSITE)),
        Column(_("Address"), _address("line1")),
        Column(_("Address (continued)"), _address("line2")),
        Column(_("District / area"), _address("district")),
        Column(_("City"), _address("city")),
        Column(_("Province / state"), _address("province")),
        Column(_("Postcode"), _address("postcode")),
        Column(_("Country"), _address("country")),
        Column(_("Tax ID"), "tax_id"),
        Column(_("National ID"), "national_id"),
        Column(_("VAT number"), "vat_id"),
        Column(_("Registration number"), "registration_number"),
        Column(_("Groups"), lambda p: [paths.get(g.pk, g.name) for g in p.groups.all()]),
        Column(_("Account managers"), lambda p: [u.username for u in p.managers.all()]),
        Column(_("Priority"), _choice("priority")),
        Column(_("Active"), "is_active"),
        Column(_("How they heard of us"), _choice("source")),
        Column(_("Gender"), _choice("gender")),
        Column(_("Birth date"), "birth_date"),
        Column(_("Occupation"), "occupation"),
        Column(_("Credit limit"), "credit_limit"),
        Column(_("Credit term (days)"), "credit_term_days"),
        Column(_("Comments"), "comments"),
        Column(_("Created"), "created_at"),
        Column(_("Updated"), "updated_at"),
    ]
    return ExportSpec(
        columns, prefetch_related=["roles", "contact_points", "addresses", "groups", "managers"]
    )


@login_required
def party_export(request):
    """`?format=csv|xlsx` streams the file; without a format, a page to choose one."""
    require_module(request.user, "parties", Action.EXPORT)
    qs, applied = filtered_parties(request)
    ids = [i for i in request.GET.getlist("ids") if _is_uuid(i)]
    if ids:
        qs = qs.filter(public_id__in=ids)
    sort = request.GET.get("sort", "priority")
    qs = qs.order_by(*SORTS.get(sort, SORTS["priority"]))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(qs, export_spec(), fmt, "parties")
    count = qs.order_by()[: COUNT_CAP + 1].count()
    query = request.GET.copy()
    query.pop("format", None)
    return _render(
        request,
        "parties/io/export.html",
        {"count": count, "capped": count > COUNT_CAP, "applied": applied, "query": query.urlencode(),
         "selected": len(ids)},
    )  # fmt: skip
