"""The import jobs list (an import site's "Your recent imports"), on the list toolkit."""

from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mitra.core.tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table

from .models import ImportJob

_BADGES = {"done": "green", "failed": "red", "cancelled": "secondary", "running": "blue"}


def _status(job):
    if job.status == ImportJob.Status.DONE and job.error:
        return format_html(
            '<span class="badge bg-yellow-lt">{}</span>', _t("Finished, with a warning")
        )
    colour = _BADGES.get(job.status, "yellow")
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, job.get_status_display())


# Each import site binds it to its own importer's jobs and puts `url` on each row.
IMPORT_JOBS = Table(
    "import_jobs",
    columns=[
        Column(_("File"), "original_name",
               render=lambda job: format_html('<a href="{}">{}</a>', job.url, job.original_name)),
        Column(_("Started"), "created_at", sort="-created"),
        Column(_("Status"), lambda job: job.get_status_display(), key="status", render=_status),
        Column(pgettext_lazy("import result", "Created"), "created_count", numeric=True),
        Column(pgettext_lazy("import result", "Updated"), "updated_count", numeric=True),
        Column(pgettext_lazy("import result", "Skipped"), "skipped_count", numeric=True),
        Column(_("Not imported"), "failed_count", numeric=True),
    ],
    filters=FilterSet(status=ChoiceFilter("status", choices=ImportJob.Status.values)),
    sorts=[
        Sort("-created", _("Newest first"), ["-created_at", "-id"]),
        Sort("created", _("Oldest first"), ["created_at", "id"]),
    ],
    per_page=10,
    empty=Empty("file-import", _("No imports yet."), _("No imports match these filters.")),
)  # fmt: skip
