from django.contrib import admin

from .numbering import NumberSeries


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    """Number patterns are data: an administrator changes QT-{year}-{seq:05} here."""

    list_display = ["key", "pattern", "calendar", "updated_at"]
    fields = ["key", "pattern", "calendar"]
    readonly_fields = ["key"]
