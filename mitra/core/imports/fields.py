"""Target fields of an importer and the parsers that turn a cell's text into a value.

A parser takes the stripped cell text (never empty: empty cells are skipped before) and
returns the value or raises `django.core.exceptions.ValidationError` with a message
for the person who made the file.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from mitra.core import calendars
from mitra.core.text import compact, normalize_phone


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


def email(value):
    value = value.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
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


def phone(region="TH"):
    """Returns (as typed, E.164) so the record keeps what people wrote and the match key."""

    def parse(value):
        e164 = normalize_phone(value, region)
        if not e164:
            raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": value})
        return value, e164

    return parse


def integer(value):
    cleaned = calendars.to_latin_digits(value).replace(",", "").replace(" ", "")
    try:
        return int(Decimal(cleaned))
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
    """ISO dates (what spreadsheets give), else the importing user's calendar and format."""
    latin = calendars.to_latin_digits(value).strip()
    if _ISO_DATE.match(latin):
        try:
            return dt.date.fromisoformat(latin[:10])
        except ValueError:
            pass
    try:
        return calendars.parse_date(latin)
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": value}) from exc


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


def boolean(value):
    key = compact(value) or value.strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def choice(choices):
    """A value from `choices` ((value, label) pairs), given as the value or a label in any language."""
    lookup = {}  # built on first use: translations are not ready when importers are defined

    def parse(raw):
        if not lookup:
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

    return parse


def many(parser, separators=";,|\n"):
    """Several values in one cell, split on any of `separators`."""
    pattern = re.compile("[" + re.escape(separators) + "]")

    def parse(raw):
        return [parser(part.strip()) for part in pattern.split(raw) if part.strip()]

    return parse
