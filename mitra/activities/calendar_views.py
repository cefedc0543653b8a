"""Calendar views of appointments: month, week and day grids in the user's calendar.

The grids are built on the server from mitra.core.calendars, so a Persian user sees a
true Jalali month (29–31 days, weeks from Saturday), a Thai user Buddhist-era years,
everyone their own digits; the page is a plain table that the RTL stylesheet mirrors.
Which appointments: "mine" (owned or taking part), "team" (anyone on my teams) or one
chosen colleague's — always within `Appointment.objects.visible_to(viewer)`.

Moving: drag an appointment onto a day or an hour (static/activities/calendar.js posts
to `calendar_move`), or edit it in its form. After a move the grid comes back with a
warning when a participant is already busy then, and an Undo button.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core import calendars
from mitra.core.policy import Action, Scope, get_for_user, has_module_perm, require_module, scope_of
from mitra.core.versioning import StaleEdit, check_version, parse_version

from . import actions, ics
from .models import Appointment

VIEWS = ("month", "week", "day")
WHO = ("mine", "team", "user")
MAX_EVENTS = 1000  # per grid; a month of a big team
MONTH_CELL_LIMIT = 4  # events shown in a month cell before "+n more"
DAY_HOURS = (7, 20)  # the hours always shown in week and day grids


@dataclass
class Event:
    appt: Appointment
    start: dt.datetime  # local
    end: dt.datetime  # local
    continues: bool = False  # began on an earlier day

    @property
    def time(self):
        return self.start.strftime("%H:%M")


@dataclass
class Day:
    date: dt.date
    label: str  # the day of the month in the user's calendar and digits
    today: bool
    events: list = field(default_factory=list)
    weekday_name: str = ""

    @property
    def iso(self):
        return self.date.isoformat()

    @property
    def shown(self):
        return self.events[:MONTH_CELL_LIMIT]

    @property
    def more(self):
        return max(0, len(self.events) - MONTH_CELL_LIMIT)


# -- whose appointments ------------------------------------------------------------------


def _team_member_ids(user):
    """A subquery of the users who share a team with `user`."""
    from mitra.users.models import Team

    membership = Team.members.through.objects
    return membership.filter(team_id__in=membership.filter(user=user).values("team_id")).values(
        "user_id"
    )


def _people(user):
    """Colleagues whose calendar `user` may open (everyone for an all-records scope)."""
    people = get_user_model().objects.filter(is_active=True)
    if scope_of(user) != Scope.ALL:
        people = people.filter(Q(pk=user.pk) | Q(pk__in=_team_member_ids(user)))
    return people.only("pk", "public_id", "username", "first_name", "last_name").order_by(
        "first_name", "username"
    )


def _scope(request):
    """(who, chosen user or None, people to choose from, queryset)."""
    user = request.user
    who = request.GET.get("who", "mine")
    who = who if who in WHO else "mine"
    people = list(_people(user))
    qs = Appointment.objects.visible_to(user)
    chosen = None
    if who == "user":
        chosen = next((p for p in people if str(p.public_id) == request.GET.get("user")), None)
        if chosen is None:
            raise Http404
        qs = qs.for_user(chosen)
    elif who == "team":
        members = _team_member_ids(user)
        through = Appointment.participants.through.objects
        qs = qs.filter(
            Q(owner=user)
            | Q(owner__in=members)
            | Q(pk__in=through.filter(Q(user=user) | Q(user__in=members)).values("appointment_id"))
        )
    else:
        qs = qs.for_user(user)
    return who, chosen, people, qs


# -- dates -------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _anchor(request):
    """The day the grid is about: ?date=YYYY-MM-DD (Gregorian, any digits), else today."""
    text = calendars.to_latin_digits(request.GET.get("date", "")).strip()
    try:
        return dt.date.fromisoformat(text) if text else _today()
    except ValueError:
        return _today()


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _first_weekday(calendar):
    return 5 if calendar == calendars.JALALI else 0  # Saturday for Persian weeks


def _weekday_names(first):
    names = [str(n) for n in calendars.WEEKDAYS_SHORT]
    return names[first:] + names[:first]


def _day_label(day, calendar):
    return calendars.localize_digits(calendars.to_calendar(day, calendar)[2])


def _events_by_day(qs, first, last):
    """{local date: [Event]} for appointments overlapping the days first..last."""
    start, end = _midnight(first), _midnight(last + dt.timedelta(days=1))
    appts = (
        qs.overlapping(start, end)
        .select_related("type")
        .order_by("start", "id")
        .only(
            "pk", "public_id", "subject", "place", "start", "end", "all_day", "status",
            "is_private", "owner_id", "type__name", "version",
        )[:MAX_EVENTS]
    )  # fmt: skip
    days = {}
    for appt in appts:
        local_start, local_end = timezone.localtime(appt.start), timezone.localtime(appt.end)
        last_day = local_end.date()
        if local_end.time() == dt.time(0, 0) and local_end > local_start:
            last_day -= dt.timedelta(days=1)  # ends at midnight: not on the next day
        day = max(local_start.date(), first)
        while day <= min(last_day, last):
            days.setdefault(day, []).append(
                Event(appt, local_start, local_end, continues=day > local_start.date())
            )
            day += dt.timedelta(days=1)
    return days


# -- the grids ---------------------------------------------------------------------------


def _month(anchor, qs, calendar):
    year, month, _day = calendars.to_calendar(anchor, calendar)
    weeks = calendars.month_grid(year, month, calendar, _first_weekday(calendar))
    first = calendars.from_calendar(year, month, 1, calendar)
    last = first + dt.timedelta(days=calendars.days_in_month(year, month, calendar) - 1)
    events = _events_by_day(qs, first, last)
    today = _today()
    grid = [
        [
            Day(d, _day_label(d, calendar), d == today, events.get(d, [])) if d else None
            for d in week
        ]
        for week in weeks
    ]
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    # On a phone the month is a list of the days that have something (and today).
    agenda = [d for week in grid for d in week if d and (d.events or d.today)]
    for d in agenda:
        d.weekday_name = str(calendars.WEEKDAYS_SHORT[d.date.weekday()])
    return {
        "weeks": grid,
        "agenda": agenda,
        "title": f"{calendars.month_name(month, calendar)} {calendars.localize_digits(year)}",
        "prev": calendars.from_calendar(prev_y, prev_m, 1, calendar),
        "next": calendars.from_calendar(next_y, next_m, 1, calendar),
        "weekdays": _weekday_names(_first_weekday(calendar)),
        "range": (first, last),
    }


def _hours(days):
    """The hour rows: 07–19, widened to any hour an event starts in."""
    low, high = DAY_HOURS
    for day in days:
        for event in day.events:
            if not event.appt.all_day and not event.continues:
                low, high = min(low, event.start.hour), max(high, event.start.hour + 1)
    return list(range(low, high))


def _timed_grid(days):
    """Rows of (hour label, [(day, slot start, events starting in that hour)]).

    An event that began on an earlier day sits in the first row.
    """
    hours = _hours(days)
    rows = []
    for hour in hours:
        cells = []
        for day in days:
            # From the wall clock, so a daylight-saving day still has its 09:00.
            slot = timezone.make_aware(dt.datetime.combine(day.date, dt.time(hour, 0)))
            starting = [
                e
                for e in day.events
                if not e.appt.all_day and ((hours[0] if e.continues else e.start.hour) == hour)
            ]
            cells.append((day, slot, starting))
        rows.append((calendars.localize_digits(f"{hour:02d}:00"), cells))
    return rows


def _week(anchor, qs, calendar):
    first_weekday = _first_weekday(calendar)
    first = anchor - dt.timedelta(days=(anchor.weekday() - first_weekday) % 7)
    last = first + dt.timedelta(days=6)
    events = _events_by_day(qs, first, last)
    today = _today()
    names = _weekday_names(first_weekday)
    days = [
        Day(d, _day_label(d, calendar), d == today, events.get(d, []), names[i])
        for i, d in enumerate(first + dt.timedelta(days=i) for i in range(7))
    ]
    return {
        "days": days,
        "all_day": [(d, [e for e in d.events if e.appt.all_day]) for d in days],
        "rows": _timed_grid(days),
        "title": _range_title(first, last, calendar),
        "prev": first - dt.timedelta(days=7),
        "next": first + dt.timedelta(days=7),
        "range": (first, last),
    }


def _day(anchor, qs, calendar):
    events = _events_by_day(qs, anchor, anchor)
    weekday = str(calendars.WEEKDAYS_SHORT[anchor.weekday()])
    day = Day(
        anchor, _day_label(anchor, calendar), anchor == _today(), events.get(anchor, []), weekday
    )
    return {
        "days": [day],
        "all_day": [(day, [e for e in day.events if e.appt.all_day])],
        "rows": _timed_grid([day]),
        "title": f"{weekday} {calendars.format_date(anchor, 'long', calendar)}",
        "prev": anchor - dt.timedelta(days=1),
        "next": anchor + dt.timedelta(days=1),
        "range": (anchor, anchor),
    }


def _range_title(first, last, calendar):
    fy, fm, _fd = calendars.to_calendar(first, calendar)
    ly, lm, _ld = calendars.to_calendar(last, calendar)
    if (fy, fm) == (ly, lm):
        start = calendars.localize_digits(calendars.to_calendar(first, calendar)[2])
        return f"{start}–{calendars.format_date(last, 'long', calendar)}"
    if fy == ly:
        start = calendars.localize_digits(calendars.to_calendar(first, calendar)[2])
        return (
            f"{start} {calendars.month_name(fm, calendar)} – "
            f"{calendars.format_date(last, 'long', calendar)}"
        )
    return (
        f"{calendars.format_date(first, 'long', calendar)} – "
        f"{calendars.format_date(last, 'long', calendar)}"
    )


BUILDERS = {"month": _month, "week": _week, "day": _day}


def _context(request, view):
    require_module(request.user, "appointments", Action.VIEW)
    calendar = calendars.current()[0]
    who, chosen, people, qs = _scope(request)
    anchor = _anchor(request)
    grid = BUILDERS[view](anchor, qs, calendar)
    params = {"who": who}
    if chosen:
        params["user"] = str(chosen.public_id)
    return {
        "view": view,
        "views": VIEWS,
        "who": who,
        "chosen": chosen,
        "people": people,
        "anchor": anchor,
        "today": _today(),
        "calendar_system": calendar,
        "params": params,
        "query": urlencode(params),
        "can_create": has_module_perm(request.user, "appointments", Action.CREATE),
        "can_move": has_module_perm(request.user, "appointments", Action.EDIT),
        **grid,
    }


def _render(request, view, extra=None):
    context = _context(request, view)
    context.update(extra or {})
    template = "activities/calendar/calendar.html"
    if request.htmx and not request.htmx.boosted:
        template += "#calendar"
    return render(request, template, context)


@login_required
def calendar_grid(request, view):
    """The month, week or day grid (`view`, from the URL pattern's kwargs)."""
    return _render(request, view)


# -- moving ------------------------------------------------------------------------------


def _parse_start(text, appt):
    """The new start from a drop: a date keeps the time of day, a local or ISO datetime
    is taken as is. None when unreadable."""
    text = calendars.to_latin_digits(str(text or "")).strip().replace(" ", "+")
    if not text:
        return None
    local = timezone.localtime(appt.start)
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            if not calendars.is_plausible(day):
                return None
            return timezone.make_aware(dt.datetime.combine(day, local.time()))
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if not calendars.is_plausible(value):
        return None  # never a move to another century
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if appt.all_day:  # a whole-day event moves by days and stays whole-day
        day = timezone.localtime(value).date()
        return timezone.make_aware(dt.datetime.combine(day, local.time()))
    return value


def _conflict_rows(viewer, found):
    """[(person, [(appointment or None if hidden, start, end)])] for the warning box."""
    ids = [a.pk for appts in found.values() for a in appts]
    visible = set(
        Appointment.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return [
        (person, [(a if a.pk in visible else None, a.start, a.end) for a in appts])
        for person, appts in found.items()
    ]


@login_required
@require_POST
def calendar_move(request, public_id):
    appt = get_for_user(request.user, Appointment, Action.EDIT, public_id=public_id)
    view = request.POST.get("view", "week")
    view = view if view in VIEWS else "week"
    old_start, old_end = appt.start, appt.end
    start = _parse_start(request.POST.get("start"), appt)
    if start is None:
        return _after_move(request, view, error=_("Choose where to move the appointment."))
    end = None
    if request.POST.get("end"):
        end = _parse_start(request.POST.get("end"), appt)
        if end is None or end < start:
            return _after_move(request, view, error=_("The end is before the start."))
    try:
        check_version(appt, parse_version(request.POST.get("version")))
        appt = actions.move_appointment(appt, acting_user=request.user, start=start, end=end)
    except StaleEdit as exc:
        error = _("%(summary)s The calendar shows it as it is now.") % {"summary": exc.summary()}
        return _after_move(request, view, error=error, status=409)
    except ValidationError as exc:
        return _after_move(request, view, error=" ".join(exc.messages))
    people = list(appt.participants.all())
    if appt.owner_id not in {p.pk for p in people}:
        people.append(appt.owner)
    found = actions.conflicts(people, appt.start, appt.end, exclude=appt)
    return _after_move(
        request,
        view,
        moved=appt,
        conflicts=_conflict_rows(request.user, found),
        undo={"start": old_start.isoformat(), "end": old_end.isoformat()},
    )


def _after_move(request, view, moved=None, conflicts=None, undo=None, error="", status=200):
    # The grid shows what the page showed: its date and whose calendar ride along.
    request.GET = request.POST.copy()
    if request.htmx:
        response = _render(
            request,
            view,
            {"moved": moved, "conflicts": conflicts or [], "undo": undo, "move_error": error},
        )
        response.status_code = status  # 409: not moved, changed meanwhile (calendar.js shows it)
        return response
    if error:
        messages.error(request, error)
    elif conflicts:
        names = ", ".join(str(person) for person, _appts in conflicts)
        messages.warning(
            request,
            _("Moved. Already busy then: %(names)s.") % {"names": names},
        )
    else:
        messages.success(request, _("The appointment was moved."))
    query = {k: request.POST[k] for k in ("date", "who", "user") if request.POST.get(k)}
    return redirect(f"{reverse('activities:calendar_' + view)}?{urlencode(query)}")


# -- the .ics feed -----------------------------------------------------------------------

FEED_PAST = dt.timedelta(days=90)
FEED_FUTURE = dt.timedelta(days=400)
FEED_MAX = 2000


def calendar_feed(request, token):
    """The user's appointments as iCalendar; the secret in the address is the login."""
    from mitra.reminders.models import FeedToken

    user = FeedToken.authenticate(token)
    if user is None or not has_module_perm(user, "appointments", Action.VIEW):
        raise Http404
    now = timezone.now()
    appts = (
        Appointment.objects.visible_to(user)
        .for_user(user)
        .overlapping(now - FEED_PAST, now + FEED_FUTURE)
        .order_by("start", "id")[:FEED_MAX]
    )
    tz = user.zoneinfo
    base = request.build_absolute_uri("/").rstrip("/")
    events = [
        ics.event_lines(
            a,
            url=base + reverse("activities:appointment_detail", args=[a.public_id]),
            tz=tz,
            stamp=now,
        )
        for a in appts
    ]
    body = ics.calendar(events, name=f"Mitra CRM · {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mitra-appointments.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def calendar_feed_settings(request):
    """Create, replace or remove the secret feed address; the address is shown once."""
    from mitra.reminders.models import FeedToken

    require_module(request.user, "appointments", Action.VIEW)
    url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            FeedToken.objects.filter(user=request.user).delete()
            messages.success(request, _("The calendar feed address no longer works."))
            return redirect("activities:calendar_feed_settings")
        raw = FeedToken.issue(request.user)
        url = request.build_absolute_uri(reverse("activities:calendar_feed", args=[raw]))
    token = FeedToken.objects.filter(user=request.user).first()
    return render(request, "activities/calendar/feed.html", {"token": token, "url": url})
