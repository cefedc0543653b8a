"""The sandbox document templates are rendered in.

A template an administrator writes runs in an `Engine` of its own:

- its builtins are only the tags and filters listed here (no `{% load %}`, `{% include %}`,
  `{% extends %}`, `{% debug %}`, `{% url %}`, no `|safe`), and it has no template loader
  to reach other files and no libraries to load;
- its context is plain data made by the document type's context builder from what the user
  may see, frozen here: read-only mappings, tuples, strings, numbers, dates. A model
  instance is refused (`TypeError`), so no `{{ party.owner.password }}` or method call can
  reach the database; Django itself refuses names that start with an underscore.

`validate()` checks a template when it is saved, `render()` renders one block.
"""

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template import (
    Context,
    Engine,
    Library,
    Template,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mitra.core import calendars
from mitra.core.money import DEFAULT_CURRENCY, Money, amount_in_words, money_html

# Tags that would reach other templates, files, the settings or other libraries: refused by
# name with a message of their own (any other unknown tag is a syntax error too).
FORBIDDEN_TAGS = (
    "load", "include", "extends", "ssi", "debug", "block", "url", "csrf_token", "now",
    "templatetag", "widthratio", "lorem", "regroup", "partial", "partialdef",
)  # fmt: skip
_TAG_RE = re.compile(r"{%-?\s*(\w+)")

SAFE_TAGS = ("if", "for", "with", "firstof", "comment", "spaceless", "cycle", "ifchanged")
SAFE_FILTERS = (
    "default", "default_if_none", "upper", "lower", "title", "capfirst", "length", "join",
    "first", "last", "yesno", "truncatechars", "truncatewords", "pluralize", "slice",
    "linebreaks", "linebreaksbr", "escape", "cut", "add", "divisibleby", "wordcount",
)  # fmt: skip

MAX_LENGTH = 50_000

library = Library()
for _name in SAFE_TAGS:
    library.tags[_name] = defaulttags.register.tags[_name]
for _name in SAFE_FILTERS:
    library.filters[_name] = defaultfilters.register.filters[_name]


# -- filters of our own: dates in the document's calendar, digits, numbers, money ---------


def _thai(language=None):
    return (language or get_language() or "").startswith("th")


@library.filter(name="date")
def doc_date(value, fmt="long"):
    """A date in the document's calendar: `long` (6 December 2026, ๖ ธันวาคม พ.ศ. 2569,
    ۱۵ آذر ۱۴۰۵), `short` (2026-12-06) or `month`. Thai long dates carry "พ.ศ." before
    the Buddhist-era year."""
    if not isinstance(value, dt.date):
        return ""
    text = calendars.format_date(value, fmt if fmt in ("long", "short", "month") else "long")
    if _thai() and fmt in ("long", "month") and calendars.current()[0] == calendars.BUDDHIST:
        head, _sp, year = text.rpartition(" ")
        text = f"{head} พ.ศ. {year}"
    return text


@library.filter(name="datetime")
def doc_datetime(value, fmt="long"):
    if not isinstance(value, dt.datetime):
        return doc_date(value, fmt)
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{doc_date(local.date(), fmt)} {calendars.localize_digits(local.strftime('%H:%M'))}"


@library.filter(name="digits")
def doc_digits(value):
    """Latin digits in the document's digits (Persian documents: ۰–۹)."""
    return calendars.localize_digits("" if value is None else value)


def _group(text, sep):
    head, dot, tail = text.partition(".")
    sign = "-" if head.startswith("-") else ""
    head = head.lstrip("-")
    groups = []
    while len(head) > 3:
        groups.insert(0, head[-3:])
        head = head[:-3]
    groups.insert(0, head)
    return sign + sep.join(groups), dot, tail


@library.filter(name="number")
def doc_number(value, places=None):
    """A number with thousands separators in the document's digits (Persian: ٬ and ٫)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    if places not in (None, ""):
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    persian = (get_language() or "").startswith("fa")
    whole, dot, tail = _group(f"{number:f}", "٬" if persian else ",")
    text = whole + (("٫" if persian else ".") + tail if dot else "")
    return calendars.localize_digits(text)


def _as_money(value, currency):
    """A `core.money.Money` from a Money, or an amount (Decimal, int, numeric string or float)
    and a currency code; None for nothing or an unknown currency."""
    if isinstance(value, Money):
        return value
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else value
        return Money(amount, str(currency or DEFAULT_CURRENCY).upper())
    except (TypeError, ValueError, InvalidOperation):
        return None


@library.filter(name="money", is_safe=True)
def doc_money(value, currency=""):
    """`core.money`'s `|money`: the currency's decimals (IRR none, THB 2), the document's
    digits, the currency where its language writes it ("1,121.50 บาท", "۱٬۲۵۰٬۰۰۰ ریال"),
    isolated for right-to-left text."""
    money = _as_money(value, currency)
    return "" if money is None else mark_safe(money_html(money))  # noqa: S308 - escaped inside


@library.filter(name="amount_words")
def doc_amount_words(value, currency=""):
    """The amount written out in the document's language (…บาทถ้วน, … ریال)."""
    money = _as_money(value, currency)
    return "" if money is None else amount_in_words(money)


# -- the engine ----------------------------------------------------------------------------


def _engine():
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {})],
        libraries={},
        builtins=[],
        autoescape=True,
        debug=False,
        string_if_invalid="",
    )
    # Engine always adds Django's default builtins (with load, include, extends, debug …);
    # a document template gets our library alone, and nothing to load.
    engine.template_builtins = [library]
    engine.template_libraries = {}
    return engine


ENGINE = _engine()


class Data(Mapping):
    """A read-only mapping: a template can read its keys and nothing else changes it."""

    __slots__ = ("_d",)

    def __init__(self, data):
        self._d = data

    def __getitem__(self, key):
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __repr__(self):
        return "Data(…)"


_PLAIN = (str, int, float, Decimal, dt.date, bool, type(None), Money)  # Money: immutable


def freeze(value):
    """Plain data only: mappings become read-only, lists tuples, lazy strings strings.

    Anything else (a model instance, a queryset, a function) is a `TypeError`: a context
    builder must copy what the document shows into plain values."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return Data({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    raise TypeError(f"a document context holds plain data only, not {type(value).__name__}")


def validate(source):
    """Refuse a template that uses a forbidden tag or does not compile (ValidationError)."""
    source = source or ""
    if len(source) > MAX_LENGTH:
        raise ValidationError(
            _("A document template may be at most %(max)s characters long."),
            code="too_long",
            params={"max": MAX_LENGTH},
        )
    for name in _TAG_RE.findall(source):
        if name in FORBIDDEN_TAGS:
            raise ValidationError(
                _(
                    "{%% %(tag)s %%} is not allowed in a document template: use only the "
                    "tags and filters listed beside the editor."
                ),
                code="forbidden_tag",
                params={"tag": name},
            )
    try:
        return Template(source, engine=ENGINE)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("The template has an error: %(error)s"), code="syntax", params={"error": exc}
        ) from exc


def render(source, context):
    """One block rendered in the sandbox; its HTML is escaped except what the author wrote."""
    template = validate(source)
    try:
        return template.render(Context(dict(freeze(context)), autoescape=True))
    except Exception as exc:  # a filter given nonsense: say so, never a 500
        raise ValidationError(
            _("The template could not be rendered: %(error)s"),
            code="render",
            params={"error": exc},
        ) from exc
