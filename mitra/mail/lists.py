"""The outbox list, declared with the list toolkit (`core.tables`)."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from mitra.core import calendars
from mitra.core.outbox import Channel
from mitra.core.tables import ChoiceFilter, Column, Empty, FilterSet, Sort, Table, TextFilter

from .models import OutboxMessage


def _search(qs, q, request):
    return qs.filter(Q(to__icontains=q) | Q(subject__icontains=q))


def _subject(m):
    text = m.subject or getattr(m, "preview", "") or ""
    link = format_html(
        '<a href="{}">{}</a>',
        reverse("mail:detail", args=[m.public_id]),
        text if len(text) <= 80 else text[:79] + "…",
    )
    if m.party_id:
        return format_html('{}<div class="small text-secondary">{}</div>', link, m.party)
    return link


def _status(m):
    return render_to_string(
        "mail/_status.html", {"status": m.status, "label": m.get_status_display()}
    )


def _when(m):
    if m.sent_at:
        return calendars.format_datetime(m.sent_at, "short")
    if m.status == OutboxMessage.Status.QUEUED:
        return calendars.format_datetime(m.next_attempt_at, "short")
    return "—"


def _retry(m):
    # One form outside the table carries the CSRF token; each button posts it to its row.
    if not getattr(m, "show_retry", False):
        return ""
    return format_html(
        '<button class="btn btn-sm" type="submit" form="retry-form" formaction="{}">{}</button>',
        reverse("mail:retry", args=[m.public_id]),
        _t("Retry"),
    )


OUTBOX = Table(
    "outbox",
    columns=[
        Column(_("Queued"), "created_at", sort="-created", width="text-nowrap"),
        Column(_("Channel"), lambda m: m.get_channel_display(), key="channel"),
        Column(_("To"), "to", render=lambda m: format_html(
            '<span class="ltr text-start">{}</span>', m.to if len(m.to) <= 60 else m.to[:59] + "…")),
        Column(_("Subject"), "subject", render=_subject),
        Column(_("Status"), lambda m: m.get_status_display(), key="status", render=_status),
        Column(_("Attempts"), "attempts", numeric=True),
        Column(_("Sent / next attempt"), _when, key="when", width="text-nowrap"),
        Column(_("Actions"), None, key="actions", render=_retry, hide_label=True,
               export=False, align="end"),
    ],
    filters=FilterSet(
        q=TextFilter(_search, help_text=_("Recipient or subject fragment.")),
        channel=ChoiceFilter("channel", choices=Channel.values),
        status=ChoiceFilter("status", choices=OutboxMessage.Status.values),
    ),
    sorts=[
        Sort("-created", _("Newest first"), ["-created_at", "-id"]),
        Sort("created", _("Oldest first"), ["created_at", "id"]),
    ],
    module="mail",
    empty=Empty("mail", _("Nothing has been sent yet."), _("No message matches these filters.")),
    url_name="mail:list",
)  # fmt: skip
