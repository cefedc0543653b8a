"""The party list, declared once (`core.tables`): its filters serve the screen
(`parties:list`, `parties:export`) and the API (`/api/v1/parties/`) alike."""

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
