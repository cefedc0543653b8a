"""The document lists, declared with the list toolkit (`core.tables`): a record's issued
revisions and the administrator's templates (one row per document type and language)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from ..calendars import format_datetime, localize_digits
from ..tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table, TextFilter
from .models import Language


def _download(doc):
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("documents:issued", args=[doc.public_id]),
        localize_digits(doc.revision),
    )


def _sha(doc):
    return format_html('<span class="font-monospace small" title="{0}">{1}…</span>',
                       doc.sha256, doc.sha256[:12])  # fmt: skip


ISSUED = Table(
    "issued-documents",
    columns=[
        Column(_("Revision"), "revision", sort="-revision", render=_download),
        Column(_("Language"), lambda d: d.get_language_display(), key="language"),
        Column(_("Issued"), "issued_at"),
        Column(_("Issued by"), lambda d: str(d.issued_by), key="issued_by"),
        Column(_("SHA-256"), "sha256", render=_sha),
    ],
    filters=FilterSet(language=ChoiceFilter("language", choices=Language.values)),
    # The record's revisions by the unique (content type, record, type, revision) index.
    sorts=[
        Sort("-revision", _("Latest revision first"), ["-revision", "-id"]),
        Sort("revision", _("First revision first"), ["revision", "id"]),
    ],
    per_page=20,
    empty=Empty("file-certificate", _("Nothing issued yet."),
                _("No revision in this language yet.")),
    url_name="documents:record",
)  # fmt: skip


# The template list is a few rows (types × languages) built in Python: filters take a list.
def _of_type(rows, key, request):
    return [r for r in rows if r["type"].key == key]


def _in_language(rows, code, request):
    return [r for r in rows if r["language"] == code]


def _template_link(row):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("documents:template_edit", args=[row["type"].key, row["language"]]),
        row["type"].label,
    )


def _title(row):
    if row["template"]:
        return format_html("<bdi>{}</bdi>", row["template"].title)
    return format_html('<span class="text-secondary">{}</span>', _t("Default"))


def _changed(row):
    return format_datetime(row["template"].updated_at, "short") if row["template"] else ""


TEMPLATES = Table(
    "document-templates",
    columns=[
        Column(_("Document"), "type.label", key="type", render=_template_link),
        Column(_("Language"), "language_label", key="language",
               render=lambda r: format_html('<span lang="{}">{}</span>', r["language"],
                                            r["language_label"])),
        Column(_("Title"), lambda r: r["template"].title if r["template"] else "", key="title",
               render=_title),
        Column(_("Version"), "template.version", key="version", numeric=True),
        Column(_("Changed"), _changed, key="changed"),
    ],
    filters=FilterSet(
        type=TextFilter(_of_type, help_text=_("A document type's key.")),
        language=ChoiceFilter(_in_language, choices=Language.values),
    ),
    per_page=100,
    empty=Empty("template", _("No app offers documents yet."),
                _("No document template matches these filters.")),
    url_name="documents:templates",
)  # fmt: skip
