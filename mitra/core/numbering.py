"""Number series: gapless document numbers (QT-2569-00001) and plain code counters.

A new number series is a registered sequence:

    # in an app's ready()
    numbering.register("quotation", _("Quotation"), "QT-{year}-{seq:05}", calendar=BUDDHIST)

    # in the action that issues the document, inside its transaction
    quote.number = numbering.next_number("quotation", on=quote.issued_on)

- **Pattern**: `{seq}` (the counter, with a format spec such as `{seq:05}`), `{year}` and
  `{yy}` (the year of `on` in the series' calendar: Gregorian, Buddhist era or Jalali).
  A pattern with a year restarts at 1 on that calendar's new year (1 January; Nowruz,
  1 Farvardin, for Jalali). The registered pattern and calendar are defaults: each series
  is a `NumberSeries` row, created on first use, that an administrator edits (Django
  admin); it is versioned and keeps its history like every editable record.
- **Gapless**: the number is taken in the caller's transaction under row locks on the
  series and its counter (`select_for_update`): a second issuer waits until the first
  commits, and a transaction that rolls back gives its number back. `next_number`
  refuses to run outside a transaction. On SQLite the write lock that every (IMMEDIATE)
  transaction takes does the same.
- **Codes** (party codes P000001) use `CodeSequence.reserve(name, count)`, which takes a
  block of numbers in a transaction of its own: fast for imports, not gapless.
"""

import datetime as dt
import string
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import calendars
from .models import PublicIdModel, TimeStampedModel
from .versioning import VersionedModel

PATTERN_FIELDS = {"seq", "year", "yy"}


class CodeSequence(models.Model):
    """A counter: the last number taken in one series (`name`) and period (a calendar
    year, or "" for a counter that never restarts). A row lock makes it safe with many
    writers."""

    name = models.CharField(max_length=40)
    period = models.CharField(max_length=10, blank=True, default="")
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("code sequence")
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="code_sequence_name_period"),
        ]

    def __str__(self):
        return f"{self.name}{'/' + self.period if self.period else ''}={self.value}"

    @classmethod
    def reserve(cls, name, count=1, period=""):
        """Reserve `count` consecutive numbers; returns the first one."""
        with transaction.atomic():
            seq = _locked_counter(name, period)
            first = seq.value + 1
            cls.objects.filter(pk=seq.pk).update(value=F("value") + count)
        return first


def _locked_counter(name, period):
    counter = CodeSequence.objects.select_for_update().filter(name=name, period=period).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: a parallel creator may win the insert
                counter = CodeSequence.objects.create(name=name, period=period)
        except IntegrityError:
            counter = CodeSequence.objects.select_for_update().get(name=name, period=period)
    return counter


def validate_pattern(pattern):
    """A pattern has `{seq}` and may have `{year}`/`{yy}`; format specs as in Python."""
    try:
        fields = [f for _lit, f, _spec, _conv in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        raise ValidationError(
            _("The pattern is not valid: %(error)s"), params={"error": exc}
        ) from None
    unknown = sorted(set(fields) - PATTERN_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(name)s: use {seq}, {year} or {yy}."),
            params={"name": "{" + unknown[0] + "}"},
        )
    if "seq" not in fields:
        raise ValidationError(_("The pattern needs a {seq} placeholder."))
    try:
        pattern.format(seq=1, year=2026, yy=26)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(
            _("The pattern is not valid: %(error)s"), params={"error": exc}
        ) from None


class Calendar(models.TextChoices):
    GREGORIAN = calendars.GREGORIAN, _("Gregorian")
    BUDDHIST = calendars.BUDDHIST, _("Thai Buddhist era")
    JALALI = calendars.JALALI, _("Persian (Jalali)")


class NumberSeries(TimeStampedModel, PublicIdModel, VersionedModel):
    """How one document type is numbered; made from the registration on first use and
    then the administrator's to change."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    pattern = models.CharField(_("pattern"), max_length=60, validators=[validate_pattern])
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.GREGORIAN
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        series = registry.get(self.key)
        return str(series.label) if series else self.key

    def period(self, on):
        """The counter's period for date `on`: its year in this calendar when the pattern
        shows a year, else "" (one counter for ever)."""
        fields = {f for _lit, f, _spec, _conv in string.Formatter().parse(self.pattern) if f}
        if fields & {"year", "yy"}:
            return str(calendars.to_calendar(on, self.calendar)[0])
        return ""

    def format(self, number, on):
        year = calendars.to_calendar(on, self.calendar)[0]
        return self.pattern.format(seq=number, year=year, yy=f"{year % 100:02d}")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    pattern: str
    calendar: str = calendars.GREGORIAN


registry = {}


def register(key, label, pattern, calendar=calendars.GREGORIAN):
    """Declare a number series (from an app's ready()); the pattern is checked now."""
    validate_pattern(pattern)
    if calendar not in calendars.CALENDARS:
        raise ValueError(f"unknown calendar: {calendar!r}")
    registry[key] = Series(key, label, pattern, calendar)
    return registry[key]


def series(key, lock=False):
    """The `NumberSeries` row of `key`, made from its registration when there is none;
    `lock`: held until the transaction ends (issuers of one series queue on it)."""
    rows = NumberSeries.objects.select_for_update() if lock else NumberSeries.objects
    found = rows.filter(key=key).first()
    if found:
        return found
    declared = registry.get(key)
    if declared is None:
        raise LookupError(f"no number series {key!r}: register it first")
    try:
        with transaction.atomic():
            return NumberSeries.objects.create(
                key=key, pattern=declared.pattern, calendar=declared.calendar
            )
    except IntegrityError:
        return rows.get(key=key)


def next_number(key, *, on=None, pattern=None, calendar=None):
    """The next number of series `key` for a document dated `on` (today by default), as a
    string. Call it inside the transaction that stores the document: the number is only
    used up when that transaction commits. `pattern`/`calendar` override the series'."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "next_number() must run inside the transaction that saves the document"
        )
    if isinstance(on, dt.datetime):
        on = timezone.localdate(on) if timezone.is_aware(on) else on.date()
    on = on or timezone.localdate()
    # Lock the series row first: issuers of one series queue here, so only the first of
    # them in a new year creates that year's counter row. (Racing to insert the counter
    # itself could deadlock on MariaDB, whose duplicate-key checks take shared locks.)
    numbering = series(key, lock=True)
    if pattern is not None or calendar is not None:
        if pattern is not None:
            validate_pattern(pattern)
        numbering = NumberSeries(
            key=key,
            pattern=pattern if pattern is not None else numbering.pattern,
            calendar=calendar or numbering.calendar,
        )
    counter = _locked_counter(key, numbering.period(on))
    CodeSequence.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    return numbering.format(counter.value + 1, on)
