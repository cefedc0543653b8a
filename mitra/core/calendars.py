"""Calendars and digits: show and read dates in the user's calendar, store Gregorian.

The active calendar and digit style live in context variables set per request by
`UserPreferencesMiddleware`, the same way Django activates a language, so template
filters and form widgets need no request object.
"""

import calendar as pycal
import contextvars
import datetime as dt
import re
from contextlib import contextmanager

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GREGORIAN, BUDDHIST, JALALI = "gregorian", "buddhist", "jalali"
CALENDARS = [GREGORIAN, BUDDHIST, JALALI]
BUDDHIST_OFFSET = 543

LATIN, NATIVE = "latin", "native"

_calendar = contextvars.ContextVar("mitra_calendar", default=GREGORIAN)
_digits = contextvars.ContextVar("mitra_digits", default=LATIN)
_digit_script = contextvars.ContextVar("mitra_digit_script", default="en")

_NATIVE_DIGITS = {
    "fa": "۰۱۲۳۴۵۶۷۸۹",
    "th": "๐๑๒๓๔๕๖๗๘๙",
}
# Everything a user might type: Persian, Arabic-Indic and Thai digits all read as Latin.
_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩๐๑๒๓๔๕๖๗๘๙", "0123456789" * 3)

GREGORIAN_MONTHS = [
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
    _("August"), _("September"), _("October"), _("November"), _("December"),
]  # fmt: skip
JALALI_MONTHS = [
    pgettext_lazy("jalali month", "Farvardin"), pgettext_lazy("jalali month", "Ordibehesht"),
    pgettext_lazy("jalali month", "Khordad"), pgettext_lazy("jalali month", "Tir"),
    pgettext_lazy("jalali month", "Mordad"), pgettext_lazy("jalali month", "Shahrivar"),
    pgettext_lazy("jalali month", "Mehr"), pgettext_lazy("jalali month", "Aban"),
    pgettext_lazy("jalali month", "Azar"), pgettext_lazy("jalali month", "Dey"),
    pgettext_lazy("jalali month", "Bahman"), pgettext_lazy("jalali month", "Esfand"),
]  # fmt: skip
# Monday first, as Python's weekday() counts.
WEEKDAYS_SHORT = [
    _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"),
]  # fmt: skip


# What a user who speaks a language most likely wants until they choose for themselves:
# (calendar, digits). Thai writes Buddhist-era years with Latin digits in everyday use.
LANGUAGE_DEFAULTS = {
    "fa": (JALALI, NATIVE),
    "th": (BUDDHIST, LATIN),
}


def defaults_for(language):
    """The (calendar, digits) that go with `language` (Gregorian, Latin for any other)."""
    return LANGUAGE_DEFAULTS.get((language or "").split("-")[0], (GREGORIAN, LATIN))


def activate(calendar=GREGORIAN, digits=LATIN, script="en"):
    """Make `calendar` and `digits` (in the `script` of a language) current."""
    _calendar.set(calendar if calendar in CALENDARS else GREGORIAN)
    _digits.set(digits if digits in (LATIN, NATIVE) else LATIN)
    _digit_script.set(script)


def current():
    return _calendar.get(), _digits.get(), _digit_script.get()


@contextmanager
def override(calendar=GREGORIAN, digits=LATIN, script="en"):
    tokens = (_calendar.set(calendar), _digits.set(digits), _digit_script.set(script))
    try:
        yield
    finally:
        _calendar.reset(tokens[0])
        _digits.reset(tokens[1])
        _digit_script.reset(tokens[2])


def default_script_for(calendar, language):
    """Which native digits to use: the language's own, else the calendar's."""
    if language in _NATIVE_DIGITS:
        return language
    return {JALALI: "fa", BUDDHIST: "th"}.get(calendar, "en")


def to_latin_digits(text):
    return str(text).translate(_TO_LATIN)


def localize_digits(text, digits=None, script=None):
    """Render Latin digits in `text` natively when the user wants native digits."""
    digits = digits or _digits.get()
    script = script or _digit_script.get()
    if digits != NATIVE or script not in _NATIVE_DIGITS:
        return str(text)
    return str(text).translate(str.maketrans("0123456789", _NATIVE_DIGITS[script]))


# -- calendar arithmetic --------------------------------------------------------------


def to_calendar(date, calendar=None):
    """Return (year, month, day) of a Gregorian `date` in `calendar`."""
    calendar = calendar or _calendar.get()
    if calendar == JALALI:
        j = jdatetime.date.fromgregorian(date=date)
        return j.year, j.month, j.day
    if calendar == BUDDHIST:
        return date.year + BUDDHIST_OFFSET, date.month, date.day
    return date.year, date.month, date.day


def from_calendar(year, month, day, calendar=None):
    """Return the Gregorian date of (year, month, day) in `calendar`; ValueError if invalid."""
    calendar = calendar or _calendar.get()
    if calendar == JALALI:
        return jdatetime.date(year, month, day).togregorian()
    if calendar == BUDDHIST:
        year -= BUDDHIST_OFFSET
    return dt.date(year, month, day)


def month_name(month, calendar=None):
    calendar = calendar or _calendar.get()
    return str((JALALI_MONTHS if calendar == JALALI else GREGORIAN_MONTHS)[month - 1])


def days_in_month(year, month, calendar=None):
    calendar = calendar or _calendar.get()
    if calendar == JALALI:
        if month <= 6:
            return 31
        if month <= 11:
            return 30
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    if calendar == BUDDHIST:
        year -= BUDDHIST_OFFSET
    return pycal.monthrange(year, month)[1]


def month_grid(year, month, calendar=None, first_weekday=None):
    """Weeks (lists of 7 Gregorian dates or None) covering a month of `calendar`.

    Persian weeks start on Saturday, others on Monday, unless `first_weekday` says.
    """
    calendar = calendar or _calendar.get()
    if first_weekday is None:
        first_weekday = 5 if calendar == JALALI else 0
    first = from_calendar(year, month, 1, calendar)
    n = days_in_month(year, month, calendar)
    lead = (first.weekday() - first_weekday) % 7
    cells = [None] * lead + [first + dt.timedelta(days=i) for i in range(n)]
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


# -- formatting and parsing ------------------------------------------------------------


def format_date(value, fmt="short", calendar=None, digits=None):
    """`short`: 1404-01-01 style (year first, sortable); `long`: 1 Farvardin 1404."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    y, m, d = to_calendar(value, calendar)
    if fmt == "long":
        text = f"{d} {month_name(m, calendar)} {y}"
    elif fmt == "month":
        text = f"{month_name(m, calendar)} {y}"
    else:
        text = f"{y:04d}-{m:02d}-{d:02d}"
    return localize_digits(text, digits)


def format_datetime(value, fmt="short", calendar=None, digits=None):
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_date(value.date(), fmt, calendar, digits)} {localize_digits(value.strftime('%H:%M'), digits)}"


_DATE_RE = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})\s*$")

# A typed year this far from today's year (in the same calendar) is taken for a slip,
# most often a year of another calendar: Gregorian and Buddhist-era years lie 543
# apart, Gregorian and Jalali 621, so a window of ±150 years catches every confusion
# of the three and leaves every real birth, founding or due date alone.
PLAUSIBLE_YEARS = 150

# "2026 is a Gregorian year", "in the Buddhist era".
CALENDAR_YEAR_KIND = {
    GREGORIAN: pgettext_lazy("a … year", "Gregorian"),
    BUDDHIST: pgettext_lazy("a … year", "Buddhist-era"),
    JALALI: pgettext_lazy("a … year", "Persian (Jalali)"),
}
CALENDAR_IN = {
    GREGORIAN: pgettext_lazy("in …", "the Gregorian calendar"),
    BUDDHIST: pgettext_lazy("in …", "the Buddhist era"),
    JALALI: pgettext_lazy("in …", "the Persian calendar"),
}


class DateInputError(ValueError):
    """A typed date that is not one (`code` "invalid"), names a day its month lacks or a
    month that does not exist ("impossible"), or a year implausible in its calendar
    ("implausible"); `message` says which, for the person who typed it."""

    def __init__(self, message, code="invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def year_window(calendar=None, past=PLAUSIBLE_YEARS, future=PLAUSIBLE_YEARS, today=None):
    """(first, last): the years of `calendar` a typed date may have, around today's."""
    calendar = calendar or _calendar.get()
    year = to_calendar(today or timezone.localdate(), calendar)[0]
    return year - past, year + future


def is_plausible(value, past=PLAUSIBLE_YEARS, future=PLAUSIBLE_YEARS):
    """Whether a Gregorian date (or datetime) from a machine (a drag, an ISO parameter)
    falls within the years a person could mean, as typed dates must."""
    first, last = year_window(GREGORIAN, past, future)
    return first <= value.year <= last


def _n(value):
    return localize_digits(str(value))


def check_date(year, month, day, calendar=None):
    """The Gregorian date of (year, month, day) in `calendar`; DateInputError (code
    "impossible") for a month or a day that does not exist, with a message saying so."""
    calendar = calendar or _calendar.get()
    if not 1 <= month <= 12:
        raise DateInputError(
            _("There is no month %(month)s: months run from %(first)s to %(last)s.")
            % {"month": _n(month), "first": _n(1), "last": _n(12)},
            "impossible",
        )
    try:
        days = days_in_month(year, month, calendar)
    except (ValueError, OverflowError) as exc:
        raise DateInputError(_("Enter a valid date."), "invalid") from exc
    if not 1 <= day <= days:
        raise DateInputError(
            _("%(month)s %(year)s has %(days)s days; there is no day %(day)s.")
            % {
                "month": month_name(month, calendar),
                "year": _n(year),
                "days": _n(days),
                "day": _n(day),
            },
            "impossible",
        )
    try:
        return from_calendar(year, month, day, calendar)
    except (ValueError, OverflowError) as exc:
        raise DateInputError(_("Enter a valid date."), "invalid") from exc


def check_plausible(year, month, day, calendar=None, past=PLAUSIBLE_YEARS, future=PLAUSIBLE_YEARS,
                    today=None, suggest=None):  # fmt: skip
    """DateInputError (code "implausible") when `year` is not within `past`/`future`
    years of today's year in `calendar`. The message gives both readings when the year
    is a plausible one of another calendar ("2026 is a Gregorian year; in the Buddhist
    era that is 2569 — did you mean 22 December 2569?"), else the years allowed.
    `suggest(date)` writes the suggested date (default: long, in `calendar`)."""
    calendar = calendar or _calendar.get()
    first, last = year_window(calendar, past, future, today)
    if first <= year <= last:
        return
    for other in CALENDARS:
        if other == calendar:
            continue
        lo, hi = year_window(other, today=today)
        if not lo <= year <= hi:
            continue
        try:
            meant = check_date(year, month, day, other)
        except DateInputError:
            meant = None
        if meant is not None:
            converted = to_calendar(meant, calendar)[0]
            message = _(
                "%(year)s is a %(kind)s year; in %(calendar)s that is %(converted)s "
                "— did you mean %(date)s?"
            )
        else:
            # The day does not exist in that calendar either: the years alone.
            converted = to_calendar(from_calendar(year, 7, 1, other), calendar)[0]
            message = _("%(year)s is a %(kind)s year; in %(calendar)s that is %(converted)s.")
        written = ""
        if meant is not None:
            written = suggest(meant) if suggest else format_date(meant, "long", calendar)
        raise DateInputError(
            message
            % {
                "year": _n(year),
                "kind": CALENDAR_YEAR_KIND[other],
                "calendar": CALENDAR_IN[calendar],
                "converted": _n(converted),
                "date": written,
            },
            "implausible",
        )
    raise DateInputError(
        _("%(year)s is too far from today: enter a year from %(first)s to %(last)s.")
        % {"year": _n(year), "first": _n(first), "last": _n(last)},
        "implausible",
    )


def read_date_parts(text):
    """(year, month, day) as typed, in any digits, y-m-d or d/m/y; None if blank.
    DateInputError for text that is not a date."""
    if text is None:
        return None
    text = to_latin_digits(str(text)).strip()
    if not text:
        return None
    match = _DATE_RE.match(text)
    if not match:
        raise DateInputError(_("Enter a valid date."), "invalid")
    a, b, c = match.groups()
    if len(a) >= 3:
        return int(a), int(b), int(c)
    if len(c) >= 3:
        return int(c), int(b), int(a)
    raise DateInputError(_("Enter a valid date."), "invalid")


def parse_date(text, calendar=None, past=PLAUSIBLE_YEARS, future=PLAUSIBLE_YEARS):
    """Read a date typed in the user's calendar (any digits, y-m-d or d/m/y); None if blank.

    Raises DateInputError (a ValueError) for something that is not a date, a day or
    month that does not exist, or a year more than `past`/`future` years from today's
    in that calendar (None: no limit that way).
    """
    parts = read_date_parts(text)
    if parts is None:
        return None
    calendar = calendar or _calendar.get()
    year, month, day = parts
    if not 1 <= month <= 12:
        check_date(year, month, day, calendar)  # raises: there is no such month
    check_plausible(
        year, month, day, calendar,
        PLAUSIBLE_YEARS * 100 if past is None else past,
        PLAUSIBLE_YEARS * 100 if future is None else future,
    )  # fmt: skip
    return check_date(year, month, day, calendar)


def date_placeholder(calendar=None):
    calendar = calendar or _calendar.get()
    return {JALALI: "1404-01-31", BUDDHIST: "2568-12-31"}.get(calendar, "2025-12-31")


def anniversary(original, year, calendar=None):
    """The Gregorian date on which `original` recurs in `year` of `calendar`.

    A day the month lacks that year falls on the month's last day: 29 February on
    28 February, 30 Esfand of a leap year on 29 Esfand.
    """
    calendar = calendar or _calendar.get()
    _y, month, day = to_calendar(original, calendar)
    return from_calendar(year, month, min(day, days_in_month(year, month, calendar)), calendar)
