"""The users, teams and roles lists, declared with the list toolkit (`core.tables`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from mitra.core.tables import (
    BooleanFilter,
    Column,
    Empty,
    FilterSet,
    Sort,
    Table,
    TextFilter,
    UUIDFilter,
)


def _search_users(qs, q, request):
    return qs.filter(
        Q(username__icontains=q)
        | Q(first_name__icontains=q)
        | Q(last_name__icontains=q)
        | Q(email__icontains=q)
    )


def _link(url_name, text):
    return lambda obj: format_html(
        '<a href="{}">{}</a>', reverse(url_name, args=[obj.public_id]), text(obj)
    )


def _status(user):
    if user.is_active:
        return format_html('<span class="badge bg-success-lt">{}</span>', _t("Active"))
    return format_html('<span class="badge bg-secondary-lt">{}</span>', _t("Inactive"))


USERS = Table(
    "users",
    columns=[
        Column(_("Username"), "username", sort="username",
               render=_link("users:detail", lambda u: u.username)),
        Column(_("Name"), lambda u: u.get_full_name(), key="name", sort="name"),
        Column(_("Email"), "email", render=lambda u: format_html('<span class="ltr">{}</span>', u.email)),
        Column(_("Role"), lambda u: str(u.role) if u.role else "—", key="role"),
        Column(_("Status"), "is_active", render=_status),
        Column(_("Joined"), "date_joined", sort="-joined", optional=True),
    ],
    filters=FilterSet(
        q=TextFilter(_search_users, help_text=_("Username, name or email fragment.")),
        role=UUIDFilter("role__public_id", help_text=_("A role's id.")),
        team=UUIDFilter("teams__public_id", help_text=_("A team's id.")),
        active=BooleanFilter("is_active"),
    ),
    sorts=[
        Sort("username", _("Username A→Z"), ["username", "id"]),
        Sort("-username", _("Username Z→A"), ["-username", "id"]),
        Sort("name", _("Name A→Z"), ["first_name", "id"]),
        Sort("-name", _("Name Z→A"), ["-first_name", "id"]),
        Sort("joined", _("Joined, oldest first"), ["date_joined", "id"]),
        Sort("-joined", _("Joined, newest first"), ["-date_joined", "id"]),
    ],
    module="users",
    empty=Empty("users", _("No users yet."), _("No users match these filters."), _("New user")),
    url_name="users:list",
)  # fmt: skip

TEAMS = Table(
    "teams",
    columns=[
        Column(_("Name"), "name", sort="name", render=_link("users:team_detail", lambda t: t.name)),
        Column(_("Team lead"), lambda t: str(t.lead) if t.lead else "—", key="lead"),
        Column(_("Members"), "member_count", numeric=True),
    ],
    filters=FilterSet(q=TextFilter("name__icontains", help_text=_("Name fragment."))),
    sorts=[
        Sort("name", _("Name A→Z"), ["name", "id"]),
        Sort("-name", _("Name Z→A"), ["-name", "-id"]),
    ],
    module="teams",
    empty=Empty("users-group", _("No teams yet."), _("No teams match these filters."), _("New team")),
    url_name="users:teams",
)  # fmt: skip


def _two_factor(role):
    return _t("Required") if role.require_2fa else _t("Optional")


ROLES = Table(
    "roles",
    columns=[
        Column(_("Name"), "label", sort="name", render=_link("users:role_edit", lambda r: r.label)),
        Column(_("Level"), lambda r: r.get_level_display(), key="level"),
        Column(_("Record scope"), lambda r: r.get_scope_display(), key="scope"),
        Column(_("Users"), "user_count", numeric=True),
        Column(_("Two-factor"), _two_factor, key="two_factor"),
    ],
    sorts=[Sort("name", _("Name A→Z"), ["name", "id"])],
    per_page=100,
    module="roles",
    empty=Empty("shield", _("No roles yet."), _("No roles match these filters."), _("New role")),
    url_name="users:roles",
)  # fmt: skip


def _revoke(key):
    # One form outside the table carries the CSRF token and the confirmation.
    return format_html(
        '<button class="btn btn-sm btn-outline-danger" type="submit" form="revoke-form" '
        'formaction="{}">{}</button>',
        reverse("api_key_revoke", args=[key.public_id]),
        _t("Revoke"),
    )


API_KEYS = Table(
    "api-keys",
    columns=[
        Column(_("Name"), "name", sort="name"),
        Column(_("Key"), lambda k: f"{k.prefix}…", key="prefix",
               render=lambda k: format_html('<code class="ltr">{}…</code>', k.prefix)),
        Column(_("Created"), "created_at", sort="-created"),
        Column(_("Last used"), "last_used_at", optional=True),
        Column(_("Actions"), None, key="actions", render=_revoke, hide_label=True,
               export=False, align="end"),
    ],
    filters=FilterSet(q=TextFilter("name__icontains", help_text=_("Name fragment."))),
    # A user has a handful of keys: the list is read by its user index, then sorted.
    sorts=[
        Sort("-created", _("Newest first"), ["-created_at", "-id"]),
        Sort("created", _("Oldest first"), ["created_at", "id"]),
        Sort("name", _("Name A→Z"), ["name", "id"]),
    ],
    empty=Empty("key", _("No API keys yet."), _("No API keys match these filters.")),
    url_name="api_keys",
)  # fmt: skip
