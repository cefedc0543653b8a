"""Dates in the API: Gregorian ISO 8601, and never in an implausible year.

A client that sends a Buddhist-era or Jalali year as if it were Gregorian ("2569-12-22",
"1405-10-01"), or a Gregorian one minus 543 ("1483-12-22"), gets a 400 that names the
field and gives both readings, as the forms do, instead of a record dated centuries away.
Every ModelSerializer maps the models' date and date-time columns to these fields.
"""

from django.db import models
from rest_framework import serializers

from mitra.core import calendars


def _check_year(value):
    day = value.date() if hasattr(value, "date") else value
    try:
        calendars.check_plausible(
            day.year, day.month, day.day, calendars.GREGORIAN, suggest=lambda d: d.isoformat()
        )
    except calendars.DateInputError as exc:
        raise serializers.ValidationError(exc.message, code=exc.code) from exc


class PlausibleDateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        with calendars.override(calendars.GREGORIAN):
            _check_year(day)
        return day


class PlausibleDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        with calendars.override(calendars.GREGORIAN):
            _check_year(moment)
        return moment


def install():
    """Map model date columns to the fields above in every ModelSerializer."""
    mapping = serializers.ModelSerializer.serializer_field_mapping
    mapping[models.DateField] = PlausibleDateField
    mapping[models.DateTimeField] = PlausibleDateTimeField


install()
