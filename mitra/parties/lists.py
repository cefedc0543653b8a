"""The party list, declared once (`core.tables`): its filters serve the screen
(`parties:list`, `parties:export`) and the API (`/api/v1/parties/`) alike."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from mitra.core.countries import find_country
from mitra.core.policy import Action
from mitra.core.tables import (
    BooleanFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    Empty,
    FilterSet,
    Sort,
    Table,
    TextFilter,
    UUIDFilter,
)

from .bidi import auto
from .models import Group, Kind, Party, RoleKind, Stage
from .search import search_parties

MODULE = "parties"


def _in_group(qs, group_id, request):
    group = Group.objects.visible_to(request.user).filter(public_id=group_id).first()
    if group is None:
        return qs.none()
    params = getattr(request, "query_params", None) or request.GET
    subgroups = params.get("subgroups", "").strip().lower()
    return qs.in_group(group, include_subgroups=subgroups not in BooleanFilter.FALSE)


def _managed_by(qs, user_id, request):
    managed = Party.managers.through.objects.filter(user__public_id=user_id)
    return qs.filter(pk__in=managed.values("party_id"))


def _starred(qs, starred, request):
    return qs.starred_by(request.user) if starred else qs


def _in_place(qs, place, request):
    return qs.in_place(place.get("country", ""), place.get("province", ""), place.get("city", ""))


class CountryFilter(TextFilter):
    """A country's code or its name in any of our languages ("TH", "ไทย", "تایلند")."""

    description = _("A country: its code (TH) or its name in English, Thai or Persian.")

    def parse(self, text, request):
        text = super().parse(text, request)
        return find_country(text) or text[:2].upper()

    def fallback(self, text):
        return self.parse(text[: self.max_length], None)


FILTERS = FilterSet(
    kind=ChoiceFilter("kind", choices=Kind.values),
    role=ChoiceFilter(lambda qs, role, request: qs.with_role(role), choices=RoleKind.values),
    stage=ChoiceFilter("stage", choices=Stage.values),
    active=BooleanFilter("is_active"),
    starred=BooleanFilter(_starred, help_text=_("Only the parties you starred.")),
    group=UUIDFilter(_in_group, help_text=_("A group's id; its sub-groups included.")),
    subgroups=BooleanFilter(
        lambda qs, value, request: qs,  # read by `group`
        help_text=_("With “group”: false leaves its sub-groups out."),
    ),
    rating=UUIDFilter("rating__public_id", help_text=_("A rating level's id.")),
    manager=UUIDFilter(_managed_by, help_text=_("An account manager's (a user's) id.")),
    country=CountryFilter(joint=_in_place, max_length=60),
    province=TextFilter(joint=_in_place, max_length=120, help_text=_("A province's name.")),
    city=TextFilter(joint=_in_place, max_length=120, help_text=_("A city's name.")),
    q=TextFilter(
        lambda qs, q, request: search_parties(qs, q),
        aliases=["search"],
        help_text=_("Name, code, phone, email, ID or address fragment."),
    ),
)

# Only orderings with an index; each ends in a unique column (keyset pagination).
SORTS = [
    Sort("priority", _("Priority, then name"), ["-priority", "search_name", "id"]),
    Sort("name", _("Name A→Z"), ["search_name", "id"]),
    Sort("-name", _("Name Z→A"), ["-search_name", "-id"]),
    Sort("code", _("Code"), ["code", "id"]),
    Sort("-code", _("Code, newest first"), ["-code", "-id"]),
    Sort("updated", _("Recently changed"), ["-updated_at", "id"]),
]

# The rows themselves are built in Python (`parties.rows`, for speed); the columns give
# the headers, the "Columns" menu and the user's choice. Name, code, kind and star are fixed.
COLUMNS = [
    Column(_("Star"), key="star", hide_label=True, width="w-1", export=False),
    Column(_("Name"), "name", sort="name"),
    Column(_("Roles"), key="roles", optional=True),
    Column(_("Stage"), key="stage", optional=True, default=False),
    Column(_("Phone"), key="phone", optional=True),
    Column(_("Email"), key="email", optional=True),
    Column(_("City"), key="city", optional=True),
    Column(_("Rating"), key="rating", optional=True, default=False),
]

BULK_ACTIONS = [
    BulkAction("assign_manager", _("Assign an account manager"), Action.EDIT),
    BulkAction("add_to_group", _("Add to a group"), Action.EDIT),
    BulkAction("set_role", _("Give a role"), Action.EDIT),
    BulkAction("activate", _("Activate"), Action.ACTIVATE),
    BulkAction("deactivate", _("Deactivate"), Action.ACTIVATE),
    BulkAction("star", _("Star"), Action.STAR),
    BulkAction("unstar", _("Remove star"), Action.STAR),
    BulkAction("export", _("Export"), Action.EXPORT),
]

PARTIES = Table(
    "parties",
    columns=COLUMNS,
    filters=FILTERS,
    sorts=SORTS,
    default_sort="priority",
    per_page=50,
    # The page stays one query of 50 rows: the footer asks for the total afterwards.
    count="lazy",
    bulk_actions=BULK_ACTIONS,
    module=MODULE,
    empty=Empty(
        "address-book", _("No parties yet."), _("No parties match these filters."), _("New person")
    ),
    url_name="parties:list",
)


# -- the other lists of the customer database (core.tables) -------------------------------------


def _safe(html):
    return mark_safe(html)  # noqa: S308 - bidi's helpers escape their values


def _book_points(p):
    from django.utils.html import format_html_join

    from .bidi import contact_html

    icons = {"email": "mail", "website": "world", "fax": "printer", "mobile": "device-mobile"}
    if not p.contact_points_list:
        return '<span class="text-secondary">—</span>'
    return format_html_join(
        "",
        '<div class="text-nowrap"><i class="ti ti-{}" aria-hidden="true"></i> {}{}</div>',
        (
            (
                icons.get(c.kind, "phone"),
                format_html('<a href="{}" class="d-inline-block">{}</a>', c.href, _safe(contact_html(c)))
                if c.href
                else format_html('<span class="d-inline-block">{}</span>', _safe(contact_html(c))),
                format_html(' <span class="small text-secondary">{}</span>', _safe(auto(c.label)))
                if c.label
                else "",
            )
            for c in p.contact_points_list
        ),
    )  # fmt: skip


def _book_places(p):
    from django.utils.html import format_html_join

    from .bidi import address_html

    if not p.address_list:
        return '<span class="text-secondary">—</span>'
    return format_html_join(
        "",
        '<div><i class="ti ti-map-pin" aria-hidden="true"></i> {}{}</div>',
        (
            (
                _safe(address_html(a)),
                format_html(
                    ' <a href="{}" target="_blank" rel="noopener" class="small">{}</a>',
                    a.map_url, _t("map"),
                ) if a.map_url else "",
            )
            for a in p.address_list
        ),
    )  # fmt: skip


# The phone and address book (A21): the party list's filters, by name.
BOOK = Table(
    "phone_book",
    columns=[
        Column(_("Name"), "name", template="parties/cells/book_name.html"),
        Column(_("Phones, emails and websites"), key="points", render=_book_points, export=False),
        Column(_("Addresses"), key="addresses", render=_book_places, export=False),
    ],
    filters=FILTERS,
    sorts=[
        Sort("name", _("Name A→Z"), ["search_name", "id"]),
        Sort("-name", _("Name Z→A"), ["-search_name", "-id"]),
    ],
    per_page=50,
    count="lazy",
    module=MODULE,
    empty=Empty("notebook", _("No parties yet."), _("No parties match these filters.")),
    url_name="parties:book",
)  # fmt: skip

# The trash (A16): parties moved there, newest first; restore or delete for good.
TRASH = Table(
    "trash",
    columns=[
        Column(_("Name"), lambda p: p.full_name, key="name", sort="name",
               render=lambda p: format_html('<bdi>{}</bdi> <span class="text-secondary small">{}</span>',
                                            p.full_name, p.get_kind_display())),
        Column(_("Code"), "code", render=lambda p: format_html('<span class="font-monospace">{}</span>', p.code)),
        Column(_("Moved to trash"), "deleted_at", sort="-deleted"),
        Column(_("By"), lambda p: str(p.deleted_by) if p.deleted_by else "—", key="deleted_by",
               optional=True),
        Column(_("Actions"), key="actions", template="parties/cells/trash_actions.html",
               hide_label=True, export=False, align="end"),
    ],
    filters=FilterSet(
        q=TextFilter(lambda qs, q, request: search_parties(qs, q),
                     help_text=_("Name, code, phone, email, ID or address fragment.")),
        kind=ChoiceFilter("kind", choices=Kind.values),
    ),
    sorts=[
        Sort("-deleted", _("Moved to trash, newest first"), ["-deleted_at", "-id"]),
        Sort("deleted", _("Moved to trash, oldest first"), ["deleted_at", "id"]),
        Sort("name", _("Name A→Z"), ["search_name", "id"]),
    ],
    per_page=50,
    module=MODULE,
    empty=Empty("trash", _("The trash is empty."), _("Nothing in the trash matches these filters.")),
    url_name="parties:trash",
)  # fmt: skip


def _group_name(g):
    return format_html(
        '<span style="padding-inline-start: {}.5rem" class="d-inline-block">{}{}'
        '<span class="badge bg-{} badge-empty me-1"></span><a href="{}?group={}">{}</a></span>{}',
        g.depth,
        mark_safe('<span class="text-secondary">└ </span>') if g.depth else "",
        format_html('<i class="ti ti-{}" aria-hidden="true"></i> ', g.icon) if g.icon else "",
        g.colour or "secondary",
        reverse("parties:list"),
        g.public_id,
        g.label,
        format_html(' <span class="text-secondary small">{}</span>', g.description)
        if g.description
        else "",
    )


# Groups (A7): the tree, siblings by name (groups are few: one numbered page).
GROUPS = Table(
    "groups",
    columns=[
        Column(_("Group"), lambda g: g.label, key="name", render=_group_name),
        Column(_("Members"), "member_count", numeric=True),
        Column(_("Actions"), key="actions", template="parties/cells/group_actions.html",
               hide_label=True, export=False, align="end"),
    ],
    filters=FilterSet(q=TextFilter("name__icontains", help_text=_("Name fragment."))),
    sorts=[Sort("tree", _("As a tree"), ["path", "id"])],
    per_page=500,
    module=MODULE,
    empty=Empty("hierarchy-2", _("No groups yet."), _("No groups match these filters."),
                _("New group"),
                _("Groups form a tree: a group can hold sub-groups, and a party can be in several groups.")),
    url_name="parties:groups",
)  # fmt: skip

# Rating levels (A8): a handful, in their order.
RATING_LEVELS = Table(
    "rating_levels",
    columns=[
        Column(_("Rating"), lambda lv: lv.label, key="name",
               render=lambda lv: format_html('<span class="badge{}">{}</span>',
                                             f" bg-{lv.colour}-lt" if lv.colour else "", lv.label)),
        Column(_("Description"), "description",
               render=lambda lv: format_html('<span class="text-secondary">{}</span>', lv.description)),
        Column(_("Parties"), "party_count", numeric=True),
        Column(_("Actions"), key="actions", template="parties/cells/rating_level_actions.html",
               hide_label=True, export=False, align="end"),
    ],
    sorts=[Sort("order", _("In their order"), ["order", "name", "id"])],
    per_page=200,
    module=MODULE,
    empty=Empty("award", _("No rating levels yet."), _("No rating levels match these filters.")),
    url_name="parties:ratings",
)  # fmt: skip
