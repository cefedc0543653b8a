"""Built-in reminder sources: birthdays, wedding anniversaries, company founding days.

Each is reminded to the party's account managers (or its owner when it has none) on
the anniversary in the RECIPIENT's calendar: a Persian-calendar user hears of a
birthday on its Jalali date, a Gregorian or Buddhist-era user on the Gregorian one.
"""

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.core import calendars

from .engine import active_users
from .registry import Due, register_source

# The Jalali date of a Gregorian day moves by up to a day between years (and 30 Esfand
# becomes 29 Esfand), so the database pre-filter looks this many days either side.
SLACK_DAYS = 2


def _month_day_filter(field, start, end):
    pairs = set()
    day = start - dt.timedelta(days=SLACK_DAYS)
    while day <= end + dt.timedelta(days=SLACK_DAYS):
        pairs.add((day.month, day.day))
        day += dt.timedelta(days=1)
    if (2, 28) in pairs or (3, 1) in pairs:
        pairs.add((2, 29))  # reminded on 28 February in other years
    return reduce(or_, (Q(**{f"{field}__month": m, f"{field}__day": d}) for m, d in pairs))


def _recipients(party_rows):
    """{party_id: [user ids]}: account managers, else the owner."""
    from mitra.parties.models import Party

    through = Party.managers.through
    ids = [row[0] for row in party_rows]
    managers = {}
    for i in range(0, len(ids), 900):
        for party_id, user_id in through.objects.filter(party_id__in=ids[i : i + 900]).values_list(
            "party_id", "user_id"
        ):
            managers.setdefault(party_id, []).append(user_id)
    return {row[0]: managers.get(row[0]) or [row[-1]] for row in party_rows}


def occurrences(original, calendar, first, last):
    """Anniversaries of `original` in `calendar` falling between `first` and `last`."""
    year = calendars.to_calendar(first, calendar)[0]
    for y in (year, year + 1):
        try:
            day = calendars.anniversary(original, y, calendar)
        except ValueError:
            continue
        if first <= day <= last and day > original:
            yield day, y - calendars.to_calendar(original, calendar)[0]


def _anniversary_source(key, field, kind, title):
    def collect(*, now, until):
        from mitra.parties.models import Party

        start, end = now.date() - dt.timedelta(days=1), until.date() + dt.timedelta(days=1)
        rows = list(
            Party.objects.filter(kind=kind, is_active=True, **{f"{field}__isnull": False})
            .filter(_month_day_filter(field, start, end))
            .values_list("pk", "public_id", "name", field, "owner_id")
        )
        if not rows:
            return
        recipients = _recipients(rows)
        users = active_users({u for ids in recipients.values() for u in ids})
        for pk, public_id, name, original, _owner in rows:
            url = reverse("parties:detail", args=[public_id])
            for user_id in recipients[pk]:
                user = users.get(user_id)
                if user is None:
                    continue
                today = now.astimezone(user.zoneinfo).date()
                script = calendars.default_script_for(user.calendar, user.language)
                for day, years in occurrences(original, user.calendar, today, end):
                    with (
                        translation.override(user.language),
                        calendars.override(user.calendar, user.digits, script),
                    ):
                        text = title(name, calendars.localize_digits(years))
                    yield Due(user_id, key, str(pk), day, text, url)

    return collect


def _birthday(name, years):
    return _("Birthday: %(name)s turns %(years)s") % {"name": name, "years": years}


def _wedding(name, years):
    return _("Wedding anniversary: %(name)s, %(years)s years") % {"name": name, "years": years}


def _founding(name, years):
    return _("Founding day: %(name)s, %(years)s years") % {"name": name, "years": years}


HOURLY = 3600


def register():
    from mitra.parties.models import Kind

    register_source(
        "birthdays",
        gettext_lazy("Birthdays"),
        _anniversary_source("birthdays", "birth_date", Kind.PERSON, _birthday),
        every_seconds=HOURLY,
    )
    register_source(
        "weddings",
        gettext_lazy("Wedding anniversaries"),
        _anniversary_source("weddings", "wedding_date", Kind.PERSON, _wedding),
        every_seconds=HOURLY,
    )
    register_source(
        "foundings",
        gettext_lazy("Company founding days"),
        _anniversary_source("foundings", "founded_on", Kind.ORGANISATION, _founding),
        every_seconds=HOURLY,
    )
