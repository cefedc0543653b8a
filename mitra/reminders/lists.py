"""The reminders list, declared with the list toolkit (`core.tables`). Its rows come from
`reminders/_row.html` (each row's buttons swap the row in place)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.core.tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table

SHOWS = ("due", "snoozed", "done")
# The order each tab reads in (the user's index: user, status, occurrence).
SHOW_SORT = {"due": "occurrence", "snoozed": "snoozed", "done": "-done"}
EMPTY_TEXT = {
    "due": _("Nothing is due. Well done!"),
    "snoozed": _("Nothing is snoozed."),
    "done": _("Nothing done yet."),
}


def _show(qs, which, request):
    now = timezone.now()
    if which == "snoozed":
        return qs.snoozed(now)
    if which == "done":
        return qs.done()
    return qs.due(now)


REMINDERS = Table(
    "reminders",
    columns=[
        Column(_("When"), "occurrence", key="when"),
        Column(_("Reminder"), "title"),
        Column(_("Status"), lambda r: r.get_status_display(), key="status"),
        Column(_("Actions"), None, key="actions", hide_label=True, export=False, align="end"),
    ],
    filters=FilterSet(show=ChoiceFilter(_show, choices=SHOWS, help_text=_("Due, snoozed or done."))),
    sorts=[
        Sort("occurrence", _("Due first"), ["occurrence", "id"]),
        Sort("snoozed", _("Snoozed until, soonest first"), ["snoozed_until", "id"]),
        Sort("-done", _("Done, latest first"), ["-done_at", "-id"]),
    ],
    empty=Empty("bell-off", EMPTY_TEXT["due"], _("No reminders match these filters.")),
    url_name="reminders:list",
)  # fmt: skip
