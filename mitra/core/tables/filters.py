"""The parameters of a list, declared once and used by the screen and the API alike.

A list declares its parameters as a `FilterSet`::

    filters = FilterSet(
        party=UUIDFilter("targets__party__public_id", help_text=_("Only this party's.")),
        since=DateTimeFilter("occurred_at__gte"),
    )

The API (`ScopedViewSet.filter_queryset()`) parses strictly: every parameter is parsed
before any query runs, a value that does not parse answers 400 with `{parameter: [message]}`
(translated, naming the parameter), and a parameter the list does not know answers 400
too, so that a misspelt filter never silently returns everything. The pagination's
`cursor` and `page_size` and DRF's `format` are always allowed. An empty value (`?party=`)
means "no filter", as an HTML form sends it. A screen (`Table.bind()`) parses leniently
(see `FilterSet.parse`). The same declaration feeds the OpenAPI schema.
"""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, lookup=None, *, help_text="", aliases=(), joint=None):
        self.lookup = lookup
        self.help_text = help_text
        self.aliases = tuple(aliases)
        # Filters that narrow the rows together (a place's country, province and city must
        # be one address) share a `joint` callable (queryset, {name: value}, request),
        # called once with all of their values.
        self.joint = joint

    def parse(self, text, request):
        return text

    def fallback(self, text):
        """What a screen's list uses of a value that does not parse: None drops it."""
        return None

    def display(self, value):
        """The value as the list's form shows it back (`applied`)."""
        return str(value)

    def apply(self, queryset, value, request):
        if callable(self.lookup):
            return self.lookup(queryset, value, request)
        return queryset.filter(**{self.lookup: value})

    def describe(self):
        return str(self.help_text or self.description) or None

    def openapi_parameter(self, name):
        from drf_spectacular.utils import OpenApiParameter

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

    def fallback(self, text):
        return text[: self.max_length]


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
        from drf_spectacular.utils import OpenApiParameter

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

    def display(self, value):
        return "1" if value else "0"


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
        from drf_spectacular.utils import OpenApiParameter

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


class FilterErrors(ValueError):
    """The list's parameters that do not parse: {param: [message]} (the API answers 400)."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _params(request):
    return getattr(request, "query_params", None) or request.GET


class FilterSet:
    """The declared parameters of one list (see the module's docstring).

    `parse(request)` is strict (the API): an unknown parameter or a value that does not
    parse raises FilterErrors. `parse(request, strict=False)` is a screen's: parameters it
    does not declare (sort, after, cols…) are left to the list, and a value that does not
    parse is dropped (a text is cut to its length), as a hand-edited address bar deserves.
    """

    def __init__(self, **filters):
        self.filters = filters
        self.aliases = {alias: name for name, f in filters.items() for alias in f.aliases}

    def __iter__(self):
        return iter(self.filters)

    def parse(self, request, *, strict=True):
        """{name: value} of the filters given; raises FilterErrors {param: [message]}."""
        errors, values, given = {}, {}, set()
        params = _params(request)
        for param in params:
            texts = params.getlist(param)
            name = self.aliases.get(param, param)
            f = self.filters.get(name) or _PASSED_ON.get(name)
            if not strict:
                if name not in self.filters or name in given:
                    continue
                given.add(name)
                text = texts[0].strip().replace("\x00", "")
                if text:
                    try:
                        values[name] = f.parse(text, request)
                    except Invalid:
                        value = f.fallback(text)
                        if value is not None:
                            values[name] = value
                continue
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
            raise FilterErrors(errors)
        return values

    def apply(self, queryset, values, request):
        """`queryset` narrowed by parsed `values`, in the declaration's order."""
        joints = set()
        for name, f in self.filters.items():
            if name not in values:
                continue
            if f.joint is None:
                queryset = f.apply(queryset, values[name], request)
            elif f.joint not in joints:
                joints.add(f.joint)
                part = {
                    n: values[n]
                    for n, g in self.filters.items()
                    if g.joint is f.joint and n in values
                }
                queryset = f.joint(queryset, part, request)
        return queryset

    def filter(self, queryset, request, *, strict=True):
        return self.apply(queryset, self.parse(request, strict=strict), request)

    def applied(self, values):
        """{name: text} of parsed `values`, as the list's form shows them back."""
        return {name: self.filters[name].display(v) for name, v in values.items()}

    def openapi_parameters(self):
        from drf_spectacular.utils import OpenApiParameter

        params = []
        for name, f in self.filters.items():
            params.append(f.openapi_parameter(name))
            for alias in f.aliases:
                same = _("Same as “%(param)s”.") % {"param": name}
                params.append(OpenApiParameter(alias, f.openapi_type, description=str(same)))
        return params
