"""A list's column: one declaration for the screen's cells and the export's values."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass
class Column:
    """One column of a list (`core.tables.Table`) and of its export (`core.exports`).

    - `label`: the header, a lazy translation.
    - `value`: an attribute path ("owner.username") or a callable taking the row; what the
      export writes and, escaped, what the cell shows unless `render`/`template` says more.
    - `render`: a callable row -> safe HTML for the cell; `template`: a template fragment
      rendered with `{"row": row}` (slower: for short lists).
    - `key`: the column's name (chosen columns, saved views); `sort`: the sort key the
      header toggles (`Sort.key`; its reverse is "-" + key).
    - `optional`: the user may hide it; `default`: shown when they never chose.
    - `align` ("start", "end", "center") or `numeric` (end-aligned, tabular digits).
    - `export`: in the CSV/XLSX export (False for a star or an avatar).
    """

    label: str
    value: str | Callable | None = None
    key: str = ""
    render: Callable | None = None
    template: str = ""
    sort: str = ""
    optional: bool = False
    default: bool = True
    align: str = ""
    numeric: bool = False
    export: bool = True
    hide_label: bool = False
    width: str = ""  # "w-1" for a column as narrow as its content

    def __post_init__(self):
        if not self.key:
            self.key = self.value if isinstance(self.value, str) else str(id(self))

    def get(self, obj):
        if callable(self.value):
            return self.value(obj)
        if self.value is None:
            return None
        value = obj
        for part in self.value.split("."):
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                return None
        return value

    @property
    def css(self):
        classes = [self.width]
        if self.numeric or self.align == "end":
            classes.append("text-end")
        elif self.align == "center":
            classes.append("text-center")
        return " ".join(c for c in classes if c)

    def cell(self, obj):
        """The cell's HTML for `obj` (escaped unless `render`/`template` gives HTML)."""
        if self.render is not None:
            return mark_safe(self.render(obj))  # noqa: S308 - render() escapes its values
        if self.template:
            return mark_safe(render_to_string(self.template, {"row": obj}))  # noqa: S308
        value = self.get(obj)
        if value is None:
            return ""
        if isinstance(value, bool):
            from django.utils.translation import gettext

            return escape(gettext("yes") if value else gettext("no"))
        if isinstance(value, (dt.date, int, Decimal)):
            from mitra.core import calendars

            if isinstance(value, dt.datetime):
                value = calendars.format_datetime(value, "short")
            elif isinstance(value, dt.date):
                value = calendars.format_date(value, "short")
            else:
                value = calendars.localize_digits(value)
        if isinstance(value, (list, tuple, set)):
            return mark_safe("; ".join(escape(str(v)) for v in value))  # noqa: S308
        return mark_safe(escape(str(value)))  # noqa: S308
