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


def parse_date(text, calendar=None):
    """Read a date typed in the user's calendar (any digits, y-m-d or d/m/y); None if blank.

    Raises ValueError for something that is not a date.
    """
    if text is None:
        return None
    text = to_latin_digits(str(text)).strip()
    if not text:
        return None
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    a, b, c = match.groups()
    if len(a) >= 3:
        year, month, day = int(a), int(b), int(c)
    elif len(c) >= 3:
        day, month, year = int(a), int(b), int(c)
    else:
        raise ValueError(text)
    return from_calendar(year, month, day, calendar)


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
