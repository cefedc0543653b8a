"""The duplicates queue and the duplicate rules, declared with the list toolkit (`core.tables`)."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mitra.core.calendars import localize_digits
from mitra.core.tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table

from .models import DuplicatePair


def _score(pair):
    colour = "red" if pair.score >= 95 else "orange" if pair.score >= 85 else "yellow"
    return format_html(
        '<span class="badge bg-{}-lt ltr">{}</span>', colour, localize_digits(pair.score)
    )


def _reasons(pair):
    return format_html_join(
        "",
        '<span class="badge bg-secondary-lt me-1 mb-1">{}</span>',
        ((localize_digits(r),) for r in pair.reason_labels()),
    )


# The review queue (A14): pairs of one status (open by default), best score first.
DUPLICATES = Table(
    "duplicates",
    columns=[
        Column(_("Score"), "score", render=_score, width="w-1"),
        Column(_("Party"), lambda p: p.party_a.full_name, key="party_a",
               template="dedupe/cells/party_a.html"),
        Column(_("Other party"), lambda p: p.party_b.full_name, key="party_b",
               template="dedupe/cells/party_b.html"),
        Column(_("Why"), lambda p: list(p.reason_labels()), key="reasons", render=_reasons,
               optional=True),
        Column(_("Actions"), key="actions", template="dedupe/cells/pair_actions.html",
               hide_label=True, export=False, align="end"),
    ],
    filters=FilterSet(status=ChoiceFilter("status", choices=DuplicatePair.Status.values)),
    sorts=[Sort("score", _("Best score first"), ["-score", "id"])],
    per_page=25,
    module="parties",
    empty=Empty("copy", _("No possible duplicates to review."), _("Nothing here.")),
    url_name="parties:duplicates",
)  # fmt: skip


def _rule_fields(rule):
    return format_html_join(
        "",
        '<span class="badge bg-blue-lt me-1">{}</span>',
        ((f,) for f in rule.get_fields_display()),
    )


def _similarity(rule):
    if "name" not in rule.fields:
        return "—"
    return format_html('<span class="ltr">{}%</span>', localize_digits(rule.name_similarity))


def _active(rule):
    if rule.is_active:
        return format_html(
            '<i class="ti ti-check text-green" aria-hidden="true"></i><span class="visually-hidden">{}</span>',
            _("Active"),
        )
    return format_html(
        '<i class="ti ti-minus text-secondary" aria-hidden="true"></i><span class="visually-hidden">{}</span>',
        _("Inactive"),
    )


# The duplicate rules (administrators): a handful, by name.
DUPLICATE_RULES = Table(
    "duplicate_rules",
    columns=[
        Column(_("Rule"), str, key="name", sort="name"),
        Column(_("Fields that must all match"), lambda r: list(r.get_fields_display()),
               key="fields", render=_rule_fields),
        Column(_("Name similarity"), "name_similarity", render=_similarity),
        Column(_("Active"), "is_active", render=_active),
        Column(_("Actions"), key="actions", template="dedupe/cells/rule_actions.html",
               hide_label=True, export=False, align="end"),
    ],
    sorts=[Sort("name", _("Name A→Z"), ["name", "id"]), Sort("-name", _("Name Z→A"), ["-name", "-id"])],
    per_page=100,
    module="duplicate_rules",
    empty=Empty("adjustments", _("No rules: duplicates are not looked for."),
                _("No rules match these filters.")),
    url_name="parties:duplicate_rules",
)  # fmt: skip
