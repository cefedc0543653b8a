"""The activity lists, declared once (`core.tables`): interactions, tasks, notes, news,
follow-ups and the code lists. Their filters serve the screens and the API
(`api/v1/activities.py`: `filterset = INTERACTIONS.filters`, …) alike."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from mitra.core import calendars
from mitra.core.tables import (
    BooleanFilter,
    ChoiceFilter,
    Column,
    Empty,
    FilterSet,
    Sort,
    Table,
    UUIDFilter,
)
from mitra.core.tables.filters import Filter, Invalid

from .models import (
    Channel,
    Direction,
    LookupKind,
    News,
    Note,
    NoteRecipient,
    TaskPriority,
    TaskStatus,
)

# -- shared cells and filters ------------------------------------------------------------------


def _icon(name, extra=""):
    return format_html('<i class="ti ti-{} {}" aria-hidden="true"></i>', name, extra)


def _party_names(obj):
    return [t.party.name for t in obj.targets.all() if t.party_id]


def party_links(obj):
    """The parties an activity is about: a link where the user may open the party."""
    links = []
    for t in obj.targets.all():
        if not t.party_id:
            continue
        if getattr(t, "can_open", False):
            url = reverse("parties:detail", args=[t.party.public_id])
            links.append(
                format_html('<a class="badge bg-azure-lt me-1" href="{}">{}</a>', url, t.party.name)
            )
        else:
            links.append(
                format_html('<span class="badge bg-secondary-lt me-1">{}</span>', t.party.name)
            )
    return format_html_join("", "{}", ((link,) for link in links))  # fmt: skip


def _when(value):
    return calendars.format_datetime(timezone.localtime(value), "short") if value else ""


def _user(value):
    return str(value) if value else "—"


class NoParty:
    """A party filter that matched no party: no rows, and the reason for the form."""

    def __init__(self, message):
        self.message = message

    def __str__(self):
        return ""


class PartyFilter(Filter):
    """A party: its id (the API), or on the screen also its code or name (the parties box)."""

    openapi_type = uuid.UUID

    def parse(self, text, request):
        if hasattr(request, "query_params"):  # the API: an id only, as it always was
            return UUIDFilter().parse(text, request)
        try:
            return uuid.UUID(text)
        except ValueError:
            pass
        from .forms import resolve_party

        try:
            return resolve_party(request.user, text)
        except ValidationError as exc:
            return NoParty(" ".join(exc.messages))  # no rows, and the reason by the box

    def apply(self, queryset, value, request):
        if isinstance(value, NoParty):
            return queryset.none()
        if isinstance(value, uuid.UUID):
            return queryset.filter(targets__party__public_id=value).distinct()
        return queryset.for_party(value)


class CalendarDateFilter(Filter):
    """A day in the user's calendar (what the screen's date boxes send); `end=True`
    includes that whole day."""

    description = _("A day, written in your calendar.")

    def __init__(self, lookup, *, end=False, **kwargs):
        super().__init__(lookup, **kwargs)
        self.end = end

    def parse(self, text, request):
        try:
            day = calendars.parse_date(text)
        except (ValueError, ValidationError):
            raise Invalid(_("“%(param)s” must be a date.")) from None
        if day is None:
            raise Invalid(_("“%(param)s” must be a date."))
        return day

    def display(self, value):
        return calendars.format_date(value, "short")

    def apply(self, queryset, value, request):
        if self.end:
            value = value + dt.timedelta(days=1)
        moment = dt.datetime.combine(value, dt.time(0), tzinfo=timezone.get_current_timezone())
        return queryset.filter(**{self.lookup: moment})


def _since(lookup, end_of_day=False, help_text=""):
    from mitra.core.tables import DateTimeFilter

    return DateTimeFilter(lookup, end_of_day=end_of_day, help_text=help_text)


# -- interactions --------------------------------------------------------------------------------


def _subject(obj):
    lock = _icon("lock", "text-secondary") if obj.is_private else ""
    products = (
        format_html('<div class="small text-secondary">{}</div>', obj.products)
        if obj.products
        else ""
    )
    url = reverse("activities:interaction_detail", args=[obj.public_id])
    return format_html('<a href="{}">{}</a> {}{}', url, obj.subject, lock, products)  # fmt: skip


def _channel(obj):
    arrow = "arrow-down-left" if obj.direction == "in" else "arrow-up-right"
    return format_html(
        '<span class="text-nowrap">{}{} <span class="text-secondary small">{}</span></span>',
        _icon(obj.icon, "me-1"), obj.get_channel_display(), _icon(arrow),
    )  # fmt: skip


def _result(obj):
    if not obj.result_id:
        return ""
    tone = "bg-green-lt" if obj.result.is_success else "bg-secondary-lt"
    reason = (
        format_html('<div class="small text-secondary">{}</div>', obj.reason)
        if obj.reason_id
        else ""
    )
    return format_html('<span class="badge {}">{}</span>{}', tone, obj.result, reason)  # fmt: skip


INTERACTIONS = Table(
    "interactions",
    columns=[
        Column(_("Date and time"), "occurred_at", sort="-occurred",
               render=lambda o: format_html('<span class="text-nowrap text-secondary">{}</span>', _when(o.occurred_at))),
        Column(_("Subject"), "subject", render=_subject),
        Column(_("Parties"), _party_names, key="parties", render=party_links),
        Column(_("Channel"), lambda o: o.get_channel_display(), key="channel", render=_channel, optional=True),
        Column(_("Direction"), lambda o: o.get_direction_display(), key="direction", optional=True, default=False),
        Column(_("Result"), lambda o: str(o.result) if o.result_id else "", key="result", render=_result, optional=True),
        Column(_("Made by"), lambda o: _user(o.user), key="user", optional=True),
        Column(_("Products"), "products", optional=True, default=False),
    ],
    filters=FilterSet(
        party=PartyFilter(help_text=_("Only those of this party (its id).")),
        channel=ChoiceFilter("channel", choices=Channel.values),
        direction=ChoiceFilter("direction", choices=Direction.values),
        result=UUIDFilter("result__public_id", help_text=_("A result code's id.")),
        user=UUIDFilter("user__public_id", help_text=_("Who made the contact (a user's id).")),
        since=_since("occurred_at__gte", help_text=_("Occurred at or after this.")),
        until=_since("occurred_at__lt", end_of_day=True,
                     help_text=_("Occurred before this (a date: through that day).")),
        start=CalendarDateFilter("occurred_at__gte", help_text=_("From this day (your calendar).")),
        end=CalendarDateFilter("occurred_at__lt", end=True, help_text=_("Through this day (your calendar).")),
    ),
    sorts=[
        Sort("-occurred", _("Newest first"), ["-occurred_at", "-id"]),
        Sort("occurred", _("Oldest first"), ["occurred_at", "id"]),
    ],
    default_sort="-occurred",
    module="interactions",
    empty=Empty("messages", _("No interactions yet."), _("No interactions match these filters."),
                _("Log an interaction")),
    url_name="activities:interactions",
)  # fmt: skip


# -- tasks ---------------------------------------------------------------------------------------

STATUS_TONES = {
    "done": "green",
    "in_progress": "blue",
    "waiting": "yellow",
    "cancelled": "secondary",
}


def _task_title(task):
    url = reverse("activities:task_detail", args=[task.public_id])
    extra = []
    if task.is_private:
        extra.append(_icon("lock", "text-secondary"))
    if task.priority >= 2:
        tone = "bg-red-lt" if task.priority == 3 else "bg-orange-lt"
        extra.append(
            format_html('<span class="badge {}">{}</span>', tone, task.get_priority_display())
        )
    if task.rework_of_id:
        extra.append(format_html('<span class="badge bg-yellow-lt">{}</span>', _("Rework")))
    return format_html('<a href="{}">{}</a> {}', url, task.title,
                       format_html_join(" ", "{}", ((e,) for e in extra)))  # fmt: skip


def _task_status(task):
    tone = STATUS_TONES.get(task.status, "azure")
    return format_html('<span class="badge bg-{}-lt">{}</span>', tone, task.get_status_display())


def _task_due(task):
    if not task.due_at:
        return "—"
    css = "text-danger fw-bold" if task.is_overdue else ""
    return format_html('<span class="text-nowrap {}">{}</span>', css, _when(task.due_at))


def _task_assignee(task):
    team = (
        format_html('<div class="small text-secondary">{}</div>', task.team) if task.team_id else ""
    )
    return format_html('<span class="text-nowrap">{}</span>{}', _user(task.assignee), team)


def _by_view(qs, view, request):
    if view == "created":
        return qs.filter(owner=request.user)
    if view == "mine":
        return qs.filter(assignee=request.user)
    return qs  # "team": every task the user may see


def _by_status(qs, status, request):
    if status == "all":
        return qs
    return qs.open() if status == "open" else qs.filter(status=status)


def _by_assignee(qs, who, request):
    return qs.filter(assignee=request.user) if who == "me" else qs.filter(assignee__public_id=who)


TASKS = Table(
    "tasks",
    columns=[
        Column(_("Task"), "title", render=_task_title),
        Column(_("Parties"), _party_names, key="parties", render=party_links, optional=True),
        Column(_("Status"), lambda t: t.get_status_display(), key="status", render=_task_status),
        Column(_("Priority"), lambda t: t.get_priority_display(), key="priority", optional=True, default=False),
        Column(_("Due"), "due_at", sort="due", render=_task_due, optional=True),
        Column(_("Assignee"), lambda t: _user(t.assignee), key="assignee", render=_task_assignee, optional=True),
    ],
    filters=FilterSet(
        show=ChoiceFilter(_by_view, choices=["mine", "created", "team"],
                          help_text=_("“mine”: assigned to me; “created”: by me; “team”: all I may see.")),
        status=ChoiceFilter(_by_status, choices=["open", "all", *TaskStatus.values],
                            help_text=_("“open”: not done and not cancelled.")),
        priority=ChoiceFilter("priority", choices=[str(v) for v in TaskPriority.values]),
        assignee=UUIDFilter(_by_assignee, keywords=["me"], help_text=_("“me” or a user's id.")),
        party=PartyFilter(help_text=_("Only those of this party (its id).")),
    ),
    sorts=[Sort("due", _("Due first"), [F("due_at").asc(nulls_last=True), "-priority", "pk"])],
    default_sort="due",
    module="tasks",
    empty=Empty("checklist", _("No tasks yet."), _("No tasks match these filters."), _("New task")),
    url_name="activities:tasks",
)  # fmt: skip


# -- follow-ups ----------------------------------------------------------------------------------


def _followup_party(f):
    url = reverse("activities:followup_chain", args=[f.party.public_id])
    return format_html('<a href="{}">{}</a>', url, f.party.name)


def _followup_result(f):
    sale = (
        format_html(' <span class="badge bg-green-lt">{}</span>', _("Sale / close"))
        if f.led_to_sale
        else ""
    )
    return format_html("{}{}", Truncator(f.result).chars(80), sale)


def _followup_next(f):
    if not f.next_date:
        return "—"
    late = f.is_current and f.next_date <= timezone.localdate()
    return format_html('<span class="text-nowrap {}">{}</span>', "text-danger fw-bold" if late else "",
                       calendars.format_date(f.next_date, "short"))  # fmt: skip


def _followup_show(qs, show, request):
    if show == "due":
        return qs.due(timezone.localdate())
    return qs.current() if show == "current" else qs


FOLLOWUPS = Table(
    "followups",
    columns=[
        Column(_("Party"), "party.name", key="party", render=_followup_party),
        Column(_("Result"), "result", render=_followup_result),
        Column(_("Followed up"), "followed_up_at", key="followed_up",
               render=lambda f: format_html('<span class="text-nowrap text-secondary">{}</span>',
                                            calendars.format_date(timezone.localtime(f.followed_up_at).date(), "short"))),
        Column(_("Next follow-up"), "next_date", render=_followup_next),
        Column(_("Sale / close"), "led_to_sale", optional=True, default=False),
        Column(_("By"), lambda f: _user(f.owner), key="owner", optional=True),
    ],
    filters=FilterSet(
        show=ChoiceFilter(_followup_show, choices=["due", "current", "all"],
                          help_text=_("“due”: next date has come; “current”: open chains; “all”.")),
    ),
    sorts=[
        Sort("next", _("Next follow-up first"), [F("next_date").asc(nulls_last=True), "pk"]),
        Sort("-followed", _("Newest first"), ["-followed_up_at", "-pk"]),
    ],
    module="followups",
    empty=Empty("target-arrow", _("Nothing to follow up yet."), _("No follow-ups match these filters."),
                _("Record a follow-up")),
    url_name="activities:followups",
)  # fmt: skip


# -- notes ---------------------------------------------------------------------------------------


def _note_box(qs, box, request):
    user = request.user
    if box == "received":
        return qs.received_by(user)
    if box == "sent":
        return qs.filter(owner=user, pk__in=NoteRecipient.objects.values("note_id"))
    return qs.filter(owner=user)


def _note_text(note):
    url = reverse("activities:note_detail", args=[note.public_id])
    unread = getattr(note, "unread", False)
    text = note.title or Truncator(note.body).chars(80)
    parts = [
        format_html(
            '<a href="{}"{}>{}</a>', url, mark_safe(' class="fw-bold"') if unread else "", text
        )
    ]
    if unread:
        parts.insert(
            0,
            format_html(
                '<span class="badge bg-red badge-blink me-1" title="{}"></span>', _("Unread")
            ),
        )
    if note.is_private:
        parts.append(_icon("lock", "text-secondary ms-1"))
    if note.status == "closed":
        parts.append(
            format_html(' <span class="badge bg-secondary-lt">{}</span>', note.get_status_display())
        )
    if note.title:
        parts.append(
            format_html(
                '<div class="small text-secondary text-truncate">{}</div>',
                Truncator(note.body).chars(140),
            )
        )
    return format_html_join("", "{}", ((p,) for p in parts))  # fmt: skip


def _note_recipients(note):
    return [str(d.user) for d in note.deliveries.all()]


def _note_recipient_cell(note):
    checks = _icon("checks", "text-success")
    return format_html_join(
        ", ", "{}{}", ((d.user, checks if d.read_at else "") for d in note.deliveries.all())
    )


NOTES = Table(
    "notes",
    columns=[
        Column(_("Note"), lambda n: n.title or n.body, key="note", render=_note_text),
        Column(_("From"), lambda n: _user(n.owner), key="owner"),
        Column(_("To"), _note_recipients, key="recipients", render=_note_recipient_cell, optional=True),
        Column(_("Status"), lambda n: n.get_status_display(), key="status", optional=True, default=False),
        Column(_("Written"), "created_at", key="created",
               render=lambda n: format_html('<span class="text-nowrap text-secondary">{}</span>', _when(n.created_at))),
    ],
    filters=FilterSet(
        box=ChoiceFilter(_note_box, choices=["received", "sent", "mine"],
                         help_text=_("Notes I received, sent to others, or wrote.")),
        status=ChoiceFilter(lambda qs, status, request: qs if status == "all" else qs.filter(status=status),
                            choices=[*Note.Status.values, "all"]),
    ),
    sorts=[Sort("-created", _("Newest first"), ["-created_at", "-pk"])],
    module="notes",
    empty=Empty("note", _("No notes yet."), _("No notes match these filters."), _("New note")),
    url_name="activities:notes",
)  # fmt: skip


# -- news ----------------------------------------------------------------------------------------


def _news_title(news):
    url = reverse("activities:news_detail", args=[news.public_id])
    return format_html('<a href="{}">{}</a> <span class="badge bg-azure-lt">{}</span>', url, news.title,
                       news.get_kind_display())  # fmt: skip


NEWS = Table(
    "news",
    columns=[
        Column(_("Title"), "title", render=_news_title),
        Column(_("Published"), "published_at", key="published",
               render=lambda n: format_html('<span class="text-nowrap text-secondary">{}</span>', _when(n.published_at))),
        Column(_("By"), lambda n: _user(n.owner), key="owner", optional=True),
        Column(_("Audience"), lambda n: str(n.audience_team) if n.audience_team_id else _("Everyone"),
               key="audience", optional=True, default=False),
    ],
    filters=FilterSet(kind=ChoiceFilter("kind", choices=News.Kind.values)),
    sorts=[Sort("-published", _("Newest first"), ["-published_at", "-pk"])],
    per_page=20,
    module="news",
    empty=Empty("speakerphone", _("No news yet."), _("No news of this kind."), _("Post news")),
    url_name="activities:news",
)  # fmt: skip


# -- code lists (settings) -----------------------------------------------------------------------


_KINDS = dict(LookupKind.choices)


def _lookup_name(row):
    url = reverse("activities:lookup_edit", args=[row.public_id])
    css = "" if row.is_active else ' class="text-secondary text-decoration-line-through"'
    success = (
        format_html(' <span class="badge bg-green-lt">{}</span>', _("success"))
        if row.is_success
        else ""
    )
    return format_html('<a href="{}"{}>{}</a>{}', url, mark_safe(css), row, success)  # fmt: skip


LOOKUPS = Table(
    "activity_codes",
    columns=[
        Column(_("List"), lambda r: _KINDS.get(r.kind, r.kind), key="kind"),
        Column(_("Name"), lambda r: str(r), key="name", render=_lookup_name),
        Column(_("Success"), "is_success", key="is_success", optional=True),
        Column(_("Active"), "is_active", key="is_active", optional=True),
    ],
    filters=FilterSet(
        kind=ChoiceFilter("kind", choices=LookupKind.values),
        active=BooleanFilter("is_active"),
    ),
    sorts=[Sort("kind", _("By list"), ["kind", "order", "name", "id"])],
    per_page=200,
    module="activity_codes",
    empty=Empty("list", _("No codes yet."), _("No codes match these filters."), _("New code")),
    url_name="activities:lookups",
)  # fmt: skip
