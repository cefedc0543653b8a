"""The approvals list (`/approvals/`), declared with the list toolkit (`core.tables`). Its
three tabs (`show`) pick the rows; each row (`approvals/_row.html`) carries its changes and,
while waiting for the user, the approve/reject form."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..tables import (
    BooleanFilter,
    ChoiceFilter,
    Column,
    Empty,
    FilterSet,
    Sort,
    Table,
    TextFilter,
)

SHOWS = {
    "waiting": _("Waiting for me"),
    "mine": _("My requests"),
    "decided": _("Decided"),
}
SHOW_SORT = {"waiting": "created", "mine": "-created", "decided": "-decided"}
EMPTY_TEXT = {
    "waiting": _("Nothing waits for approval."),
    "mine": _("You have not asked for any approval."),
    "decided": _("No decided requests yet."),
}


APPROVALS = Table(
    "approvals",
    columns=[
        Column(_("Request"), "title"),
        Column(_("Changes"), None, key="changes", export=False),
        Column(_("Status"), lambda r: r.get_status_display(), key="status"),
        Column(_("Decision"), None, key="decision", hide_label=True, export=False),
    ],
    filters=FilterSet(
        show=ChoiceFilter(lambda qs, value, request: qs, choices=list(SHOWS),
                          help_text=_("Waiting for me, my requests, or decided.")),
        q=TextFilter("title__icontains", help_text=_("Record name fragment.")),
        status=ChoiceFilter("status", choices=["pending", "approved", "rejected", "cancelled"]),
    ),
    sorts=[
        Sort("created", _("Oldest first"), ["created_at", "id"]),
        Sort("-created", _("Newest first"), ["-created_at", "-id"]),
        Sort("-decided", _("Decided, latest first"), ["-decided_at", "-id"]),
    ],
    per_page=20,
    empty=Empty("checklist", EMPTY_TEXT["waiting"], _("No requests match these filters.")),
    url_name="approvals:list",
)  # fmt: skip


def _rule_link(rule):
    return format_html(
        '<a href="{}">{}</a>', reverse("approvals:rule_edit", args=[rule.public_id]), rule.name
    )


def _kind_label(rule):
    from . import engine

    kind = engine.get_kind(rule.kind)
    return str(kind.label) if kind else rule.kind


def _condition_label(rule):
    from . import engine

    kind = engine.get_kind(rule.kind)
    found = kind.conditions.get(rule.condition) if kind else None
    return str(found[0]) if found else rule.condition


RULES = Table(
    "approval-rules",
    columns=[
        Column(_("Name"), "name", render=_rule_link),
        Column(_("What needs approval"), _kind_label, key="kind"),
        Column(_("When"), _condition_label, key="condition"),
        Column(_("Levels"), "level_count", numeric=True),
        Column(_("Active"), "active"),
    ],
    filters=FilterSet(
        kind=TextFilter("kind", help_text=_("A kind of request (parties.change).")),
        active=BooleanFilter("active"),
    ),
    # The rules of a kind in the order engine.rule_for() tries them (its index).
    sorts=[Sort("kind", _("By kind, in order"), ["kind", "order", "id"])],
    per_page=100,
    empty=Empty("checklist", _("No rules yet."), _("No rules match these filters."),
                _("New rule")),
    url_name="approvals:rules",
)  # fmt: skip
