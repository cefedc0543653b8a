"""Target fields of an importer and the parsers that turn a cell's text into a value.

A parser takes the stripped cell text (never empty: empty cells are skipped before) and
returns the value or raises `django.core.exceptions.ValidationError` with a message
for the person who made the file.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from mitra.core import calendars
from mitra.core.text import (
    compact,
    default_region,
    digits_only,
    parse_phone,
    parse_simple,
    phone_text,
)


class ImportField:
    """One value an importer can take from a column.

    `aliases` are extra header names (any language) that map to this field; the label in
    every interface language is always a match too.
    """

    def __init__(self, name, label, *, required=False, parser=None, aliases=(), help_text=""):
        self.name = name
        self.label = label
        self.required = required
        self.parser = parser or text()
        self.aliases = tuple(aliases)
        self.help_text = help_text

    def header_keys(self):
        keys = {compact(self.name), compact(self.name.replace("_", " "))}
        keys.update(compact(a) for a in self.aliases)
        for code in ("en", "th", "fa"):
            with translation.override(code):
                keys.add(compact(str(self.label)))
        keys.discard("")
        return keys

    def __repr__(self):
        return f"<ImportField {self.name}>"


def text(max_length=None):
    def parse(value):
        if max_length and len(value) > max_length:
            raise ValidationError(
                _("At most %(max)d characters (this has %(n)d).")
                % {"max": max_length, "n": len(value)}
            )
        return value

    return parse


_email = EmailValidator()
# The common shape, a strict subset of what EmailValidator accepts, checked by one regex.
_SIMPLE_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def email(value):
    value = value.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    if len(value) <= 254 and _SIMPLE_EMAIL.fullmatch(value):
        return value
    try:
        _email(value)
    except ValidationError as exc:
        raise ValidationError(_("“%(value)s” is not an email address.") % {"value": value}) from exc
    return value


_url = URLValidator()


def url(value):
    if "://" not in value:
        value = "https://" + value
    try:
        _url(value)
    except ValidationError as exc:
        raise ValidationError(_("“%(value)s” is not a web address.") % {"value": value}) from exc
    return value


def _parse_phone(text, region):
    """`mitra.core.text.parse_phone` of `text` (already read by `phone_text`; `region` is
    the one for numbers without "+"), without its validity check where it cannot change
    the answer: a number written one way (not "00…") is returned when it is possible,
    valid or not, so only the "00" case needs both readings compared (a third of the
    time of parsing a phone; a test keeps the two in step)."""
    if not text or text.startswith("00"):
        return parse_phone(text, region)
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


class Phone(NamedTuple):
    typed: str  # as written in the file (digits made Latin), kept for display
    e164: str  # +66812345678: the match key (caller ID, duplicates)
    national: str  # 0812345678: national digits, for the search index


def phone(region=None):
    """A phone number in any format or script; one parse gives every form the app needs."""

    # National prefix by (country, length, leading digits): the national format's digits
    # are that prefix and the national number, and choosing the format (regexes over the
    # leading digits) costs a third of a phone's parsing.
    prefixes = {}
    # Whether a number is possible depends only on its country and length.
    possible = {}

    def parse(value):
        text = phone_text(value)
        local = (region or default_region()).upper()
        simple = None
        if text and not text.startswith("00"):
            simple = parse_simple(text, None if text.startswith("+") else local)
        if simple is not None:
            # The shape nearly every file holds: as phonenumbers.parse reads it, without
            # building its PhoneNumber (see mitra.core.text.parse_simple).
            cc, nsn = simple
            number = None
            key = (cc, len(nsn))
            ok = possible.get(key)
            if ok is None:
                number = phonenumbers.PhoneNumber(country_code=cc, national_number=int(nsn))
                ok = possible[key] = phonenumbers.is_possible_number(number)
            if not ok:
                raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": value})
        else:
            number = _parse_phone(text, local)
            if number is None:
                raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": value})
            cc, nsn = number.country_code, phonenumbers.national_significant_number(number)
        e164 = f"+{cc}{nsn}"
        key = (cc, len(nsn), nsn[:5])
        prefix = prefixes.get(key, False)
        if prefix is None or prefix is False:
            if number is None:
                number = phonenumbers.PhoneNumber(country_code=cc, national_number=int(nsn))
            national = digits_only(
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            )
            if prefix is False and len(prefixes) < 100_000:
                prefixes[key] = national[: -len(nsn)] if national.endswith(nsn) else None
        else:
            national = prefix + nsn
        # Kept as typed but with Latin digits: "۰۹۱۲…" shows and searches as "0912…".
        return Phone(text, e164, national)

    return parse


def integer(value):
    cleaned = calendars.to_latin_digits(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
        if number != number.to_integral_value():
            raise ValueError(value)
        return int(number)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value}) from exc


def decimal(value):
    cleaned = calendars.to_latin_digits(value).replace(",", "").replace(" ", "").replace("٫", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value})
    return number


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def date(value):
    """ISO dates (what spreadsheets give), else the importing user's calendar and format.

    An ISO date whose year is implausible as a Gregorian one ("2530-05-17" typed as text
    in a Thai file) is read in the user's calendar, which refuses it, with both readings
    in the message, when it is implausible there too: no date lands in the wrong century.
    """
    latin = calendars.to_latin_digits(value).strip()
    if _ISO_DATE.match(latin):
        try:
            day = dt.date.fromisoformat(latin[:10])
        except ValueError:
            day = None
        if day is not None:
            first, last = calendars.year_window(calendars.GREGORIAN)
            if first <= day.year <= last:
                return day
    try:
        return calendars.parse_date(latin)
    except calendars.DateInputError as exc:
        if exc.code != "invalid":
            raise ValidationError(f"“{value}”: {exc.message}") from exc
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": value}) from exc


def memo(parser, size=10_000):
    """Remember `parser`'s answers (and errors) for columns with few distinct values:
    roles, stages, countries, yes/no. Results are shared, so callers must not change them."""
    cache = {}

    def parse(raw):
        try:
            hit = cache[raw]
        except KeyError:
            try:
                hit = (True, parser(raw))
            except ValidationError as exc:
                hit = (False, exc)
            if len(cache) < size:
                cache[raw] = hit
        if hit[0]:
            return hit[1]
        raise hit[1]

    return parse


_TRUE = {"1", "y", "yes", "true", "t", "x", "✓", "ใช่", "จริง", "بله", "آری", "درست", "active", "on"}
_FALSE = {
    "0",
    "n",
    "no",
    "false",
    "f",
    "ไม่",
    "ไม่ใช่",
    "เท็จ",
    "خیر",
    "نه",
    "نادرست",
    "inactive",
    "off",
    "-",
}


@memo
def boolean(value):
    key = compact(value) or value.strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def choice(choices, aliases=None):
    """A value from `choices` ((value, label) pairs), given as the value, its label in any
    language, or one of `aliases` ({word: value}: synonyms, and the Thai and Persian words
    people write even where a translation catalogue is missing)."""
    lookup = {}  # built on first use: translations are not ready when importers are defined

    def parse(raw):
        if not lookup:
            for word, value in (aliases or {}).items():
                lookup[compact(word)] = value
            for value, label in choices:
                lookup[compact(value)] = value
                for code in ("en", "th", "fa"):
                    with translation.override(code):
                        lookup[compact(str(label))] = value
        try:
            return lookup[compact(raw)]
        except KeyError:
            allowed = ", ".join(str(label) for _value, label in choices)
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}
            ) from None

    return memo(parse)


def many(parser, separators=";,|\n"):
    """Several values in one cell, split on any of `separators`."""
    pattern = re.compile("[" + re.escape(separators) + "]")

    def parse(raw):
        return [parser(part.strip()) for part in pattern.split(raw) if part.strip()]

    return parse
