"""Import and export of parties (A1–A21 data in and out; B2 reuses the import screens).

Export writes what the list shows: the same policy scope and the same filters
(`views.filtered_parties`), optionally only the selected rows (`?ids=`), as CSV or XLSX.
Its column names are the importer's field labels, so an exported file imports back.
"""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from mitra.core.exports import FORMATS, Column, ExportSpec, export_response
from mitra.core.imports.views import ImportSite
from mitra.core.policy import Action, is_public_id, require_module
from mitra.core.tables.paging import COUNT_CAP

from ..chrome import chrome
from ..chrome import render_page as _render
from ..importers import PartyImporter
from ..models import ContactPoint, Group
from .common import SORTS
from .listing import filtered_parties

site = ImportSite(
    PartyImporter,
    namespace="parties",
    templates="parties/io",
    back_url_name="parties:list",
    context=chrome,
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


def export_spec(user=None):
    """The columns of a party export. Headers are the import's field labels, so a file
    exported in any language imports back with its columns recognised."""
    paths = group_paths()
    labels = {f.name: f.label for f in PartyImporter(user).fields}
    kinds = ContactPoint.Kind
    columns = [
        Column(labels["code"], "code"),
        Column(labels["kind"], _choice("kind")),
        Column(labels["name"], "name"),
        Column(labels["prefix"], "prefix"),
        Column(labels["first_name"], "first_name"),
        Column(labels["last_name"], "last_name"),
        Column(labels["stage"], _choice("stage")),
        Column(labels["roles"], lambda p: [r.get_role_display() for r in p.roles.all()]),
        Column(labels["phone"], _points(kinds.PHONE)),
        Column(labels["mobile"], _points(kinds.MOBILE)),
        Column(labels["fax"], _points(kinds.FAX)),
        Column(labels["email"], _points(kinds.EMAIL)),
        Column(labels["website"], _points(kinds.WEBSITE)),
        Column(labels["line1"], _address("line1")),
        Column(labels["line2"], _address("line2")),
        Column(labels["district"], _address("district")),
        Column(labels["city"], _address("city")),
        Column(labels["province"], _address("province")),
        Column(labels["postcode"], _address("postcode")),
        Column(labels["country"], _address("country")),
        Column(labels["tax_id"], "tax_id"),
        Column(labels["national_id"], "national_id"),
        Column(labels["vat_id"], "vat_id"),
        Column(labels["registration_number"], "registration_number"),
        Column(labels["groups"], lambda p: [paths.get(g.pk, g.name) for g in p.groups.all()]),
        Column(labels["managers"], lambda p: [u.username for u in p.managers.all()]),
        Column(labels["priority"], _choice("priority")),
        Column(labels["is_active"], "is_active"),
        Column(labels["source"], _choice("source")),
        Column(labels["gender"], _choice("gender")),
        Column(labels["birth_date"], "birth_date"),
        Column(labels["occupation"], "occupation"),
        Column(labels["credit_limit"], "credit_limit"),
        Column(labels["credit_term_days"], "credit_term_days"),
        Column(labels["comments"], "comments"),
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
    ids = [i for i in request.GET.getlist("ids") if is_public_id(i)]
    if ids:
        qs = qs.filter(public_id__in=ids)
    sort = request.GET.get("sort", "priority")
    qs = qs.order_by(*SORTS.get(sort, SORTS["priority"]))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(qs, export_spec(request.user), fmt, "parties")
    count = qs.order_by()[: COUNT_CAP + 1].count()
    query = request.GET.copy()
    query.pop("format", None)
    return _render(
        request,
        "parties/io/export.html",
        {"count": count, "capped": count > COUNT_CAP, "applied": applied, "query": query.urlencode(),
         "selected": len(ids)},
    )  # fmt: skip
