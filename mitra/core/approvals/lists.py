"""The approvals list (`/approvals/`), declared with the list toolkit (`core.tables`). Its
three tabs (`show`) pick the rows; each row (`approvals/_row.html`) carries its changes and,
while waiting for the user, the approve/reject form."""

from django.utils.translation import gettext_lazy as _

from ..tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table, TextFilter

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
