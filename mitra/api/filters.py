"""The query parameters of the API's lists: declared once per viewset, validated, documented.

A viewset declares its list's parameters as a `FilterSet`::

    filterset = FilterSet(
        party=UUIDFilter("targets__party__public_id", help_text=_("Only this party's.")),
        since=DateTimeFilter("occurred_at__gte"),
    )

`ScopedViewSet.filter_queryset()` hands the list's query string to it: every parameter is
parsed before any query runs, a value that does not parse answers 400 with
`{parameter: [message]}` (translated, naming the parameter), and a parameter the list does
not know answers 400 too, so that a misspelt filter never silently returns everything. The
pagination's `cursor` and `page_size` and DRF's `format` are always allowed. An empty value
(`?party=`) means "no filter", as an HTML form sends it. Other actions (a record, a write)
take no filters. The same declaration feeds the OpenAPI schema (`FilterAwareAutoSchema`).
"""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

# Always allowed on a list: the cursor pagination's own parameters and DRF's `?format=`.
PAGINATION_PARAMS = ("cursor", "page_size")
FORMAT_PARAM = "format"
MAX_TEXT = 200


class Invalid(ValueError):
    """A value that does not parse: a translatable sentence with `%(param)s` in it."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self, param):
        return str(self.message) % {"param": param, **self.params}


class Filter:
    """One query parameter: `parse()` turns the text into a value or raises `Invalid`;
    `apply()` narrows the queryset. `lookup` is a field lookup (`"occurred_at__gte"`) or a
    callable `(queryset, value, request) -> queryset`."""

    openapi_type = str
    description = ""

    def __init__(self, lookup=None, *, help_text="", aliases=()):
        self.lookup = lookup
        self.help_text = help_text
        self.aliases = tuple(aliases)

    def parse(self, text, request):
        return text

    def apply(self, queryset, value, request):
        if callable(self.lookup):
            return self.lookup(queryset, value, request)
        return queryset.filter(**{self.lookup: value})

    def describe(self):
        return str(self.help_text or self.description) or None

    def openapi_parameter(self, name):
        return OpenApiParameter(name, self.openapi_type, description=self.describe())


class TextFilter(Filter):
    description = _("Text to look for.")

    def __init__(self, lookup=None, *, max_length=MAX_TEXT, **kwargs):
        super().__init__(lookup, **kwargs)
        self.max_length = max_length

    def parse(self, text, request):
        if len(text) > self.max_length:
            raise Invalid(
                _("“%(param)s” is too long: at most %(max)d characters."), max=self.max_length
            )
        return text


class ChoiceFilter(Filter):
    """One of fixed values; `choices` is a list of values or of (value, label) pairs."""

    def __init__(self, lookup=None, *, choices, **kwargs):
        super().__init__(lookup, **kwargs)
        self.choices = [c[0] if isinstance(c, (tuple, list)) else c for c in choices]

    def parse(self, text, request):
        if text not in self.choices:
            raise Invalid(
                _("“%(param)s” must be one of: %(choices)s."), choices=", ".join(self.choices)
            )
        return text

    def openapi_parameter(self, name):
        return OpenApiParameter(name, str, enum=self.choices, description=self.describe())


class BooleanFilter(Filter):
    openapi_type = bool
    TRUE = ("true", "1", "yes")
    FALSE = ("false", "0", "no")

    def parse(self, text, request):
        text = text.lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise Invalid(_("“%(param)s” must be true or false (or 1 or 0)."))


_EXAMPLE_ID = "3f2b8c1e-9d4a-4f6b-8e2d-1a2b3c4d5e6f"


class UUIDFilter(Filter):
    """A record's public id. An id that matches nothing the user may see gives an empty
    list, whether the record is hidden or was never there. `keywords` are words taken as
    they are (such as "me")."""

    description = _("A record's id (a UUID).")

    def __init__(self, lookup=None, *, keywords=(), **kwargs):
        super().__init__(lookup, **kwargs)
        self.keywords = tuple(keywords)

    def parse(self, text, request):
        if text in self.keywords:
            return text
        try:
            return uuid.UUID(text)
        except ValueError:
            if self.keywords:
                raise Invalid(
                    _("“%(param)s” must be %(words)s or an id (a UUID such as %(example)s)."),
                    words=", ".join(self.keywords),
                    example=_EXAMPLE_ID,
                ) from None
            raise Invalid(
                _("“%(param)s” must be an id (a UUID such as %(example)s)."), example=_EXAMPLE_ID
            ) from None

    def openapi_parameter(self, name):
        kind = str if self.keywords else uuid.UUID
        return OpenApiParameter(name, kind, description=self.describe())


class DateTimeFilter(Filter):
    """An ISO 8601 date (`2026-12-05`) or date and time (`2026-12-05T09:30`, with an
    optional offset or `Z`). A time without an offset is in the user's time zone. A date
    alone means the start of that day, or with `end_of_day=True` (for an exclusive upper
    bound) the start of the next day, so that the day itself is included."""

    openapi_type = dt.datetime
    description = _("A date (2026-12-05) or a date and time (2026-12-05T09:30:00+07:00).")
    YEARS = (1000, 9998)  # what every supported database stores (MySQL's DATETIME)

    def __init__(self, lookup=None, *, end_of_day=False, **kwargs):
        super().__init__(lookup, **kwargs)
        self.end_of_day = end_of_day

    def parse(self, text, request):
        invalid = Invalid(
            _(
                "“%(param)s” must be a date (2026-12-05) or a date and time (2026-12-05T09:30:00+07:00)."
            )
        )
        try:
            day = parse_date(text)  # first: Python reads a date alone as a datetime too
            value = None if day else parse_datetime(text)
        except ValueError:  # well formed but impossible, such as 2026-02-30
            raise invalid from None
        if value is None and day is None:
            raise invalid
        if not self.YEARS[0] <= (value or day).year <= self.YEARS[1]:
            raise Invalid(
                _("“%(param)s” is out of range: use a year from %(first)d to %(last)d."),
                first=self.YEARS[0],
                last=self.YEARS[1],
            )
        if value is None:
            value = dt.datetime.combine(day, dt.time())
            if self.end_of_day:
                value += dt.timedelta(days=1)
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_current_timezone())
        return value.astimezone(dt.UTC)


class PositiveIntegerFilter(Filter):
    openapi_type = int

    def parse(self, text, request):
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise Invalid(_("“%(param)s” must be a whole number, 1 or more."))
        return int(text)


# Checked here, used by the pagination (which caps it at its max_page_size).
_PASSED_ON = {"page_size": PositiveIntegerFilter(), "cursor": Filter(), FORMAT_PARAM: Filter()}


class FilterSet:
    """The declared parameters of one list (see the module's docstring)."""

    def __init__(self, **filters):
        self.filters = filters
        self.aliases = {alias: name for name, f in filters.items() for alias in f.aliases}

    def parse(self, request):
        """{name: value} of the filters given; raises ValidationError {param: [message]}."""
        errors, values, given = {}, {}, set()
        params = request.query_params
        for param in params:
            texts = params.getlist(param)
            name = self.aliases.get(param, param)
            f = self.filters.get(name) or _PASSED_ON.get(name)
            try:
                if f is None:
                    raise Invalid(
                        _("Unknown parameter “%(param)s”; this list takes: %(known)s."),
                        known=", ".join([*self.filters, *self.aliases, *PAGINATION_PARAMS]),
                    )
                if len(texts) > 1 or name in given:
                    raise Invalid(_("“%(param)s” is given more than once."))
                given.add(name)
                text = texts[0].strip()
                if "\x00" in text:
                    raise Invalid(_("“%(param)s” contains a character that is not allowed."))
                if text and name in self.filters:
                    values[name] = f.parse(text, request)
                elif text:
                    f.parse(text, request)
            except Invalid as exc:
                errors[param] = [exc.text(param)]
        if errors:
            raise ValidationError(errors)
        return values

    def filter(self, queryset, request):
        for name, value in self.parse(request).items():
            queryset = self.filters[name].apply(queryset, value, request)
        return queryset

    def openapi_parameters(self):
        params = []
        for name, f in self.filters.items():
            params.append(f.openapi_parameter(name))
            for alias in f.aliases:
                same = _("Same as “%(param)s”.") % {"param": name}
                params.append(OpenApiParameter(alias, f.openapi_type, description=str(same)))
        return params


class FilterAwareAutoSchema(AutoSchema):
    """drf-spectacular's schema, with a list's declared `filterset` as its parameters."""

    def get_override_parameters(self):
        params = super().get_override_parameters()
        filterset = getattr(self.view, "filterset", None)
        if filterset is not None and getattr(self.view, "action", None) == "list":
            declared = {p.name for p in params if isinstance(p, OpenApiParameter)}
            params = [
                *[p for p in filterset.openapi_parameters() if p.name not in declared],
                *params,
            ]
        method = getattr(self, "method", "")
        if method in ("PUT", "PATCH", "DELETE"):
            params.append(IF_MATCH)
        if method == "POST":
            params.append(IDEMPOTENCY_KEY)
        return params


# The write headers every endpoint honours (api.versioning, core.idempotency).
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The version you read, as its ETag ("3"): a record changed since answers 412 '
    "and nothing changes.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A key of your own: the same key again within 24 hours returns the first "
    "answer and creates nothing new.",
)
