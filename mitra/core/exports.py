"""Export any queryset to CSV or XLSX, streamed, with a declared column spec.

The caller checks the permission (the module's `export` action) and passes a queryset
already scoped by the policy and filtered like the list on screen. The spec names the
related rows to fetch with the queryset, so the export reads a constant number of
queries per chunk of rows whatever their count:

    spec = ExportSpec(
        [Column(_("Code"), "code"), Column(_("Roles"), lambda p: [r.get_role_display() for r in p.roles.all()])],
        prefetch_related=["roles"],
    )
    return export_response(qs, spec, request.GET.get("format"), "parties")

CSV is written with a byte-order mark so Excel opens Thai and Persian text right; XLSX is
written by openpyxl in write-only mode to a temporary file and streamed from there.
"""

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Model
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .tables.columns import Column  # noqa: F401 - one Column for lists and exports

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
XLSX_SHEET_ROWS = 1_000_000  # Excel stops at 1,048,576 rows: continue on another sheet
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with these is run as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][\d\s().\-/]*")


@dataclass
class ExportSpec:
    columns: list
    select_related: Iterable = ()
    prefetch_related: Iterable = ()
    only: Iterable = field(default=())

    def prepare(self, queryset):
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.only:
            queryset = queryset.only(*self.only)
        return queryset

    def __post_init__(self):
        self.columns = [c for c in self.columns if c.export]

    def headers(self):
        return [str(c.label) for c in self.columns]


def text(value):
    """A value as spreadsheet text (CSV)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return "; ".join(text(v) for v in value if v not in (None, ""))
    if isinstance(value, Model):
        return str(value)
    return str(value)


def safe_text(value):
    """Text that a spreadsheet shows instead of running: "=1+2" becomes "'=1+2".

    A leading + or - is kept when the rest is a number or phone ("+66 81 234 5678").
    """
    value = text(value)
    if value.startswith(_FORMULA_START) or (
        value.startswith(("+", "-")) and not _SIGNED_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def rows(queryset, spec, chunk_size=CHUNK_SIZE):
    """The records of `queryset`, with the spec's related rows, fetched in chunks."""
    return spec.prepare(queryset).iterator(chunk_size=chunk_size)


class _Line:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_lines(queryset, spec, chunk_size=CHUNK_SIZE):
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(spec.headers())
    for obj in rows(queryset, spec, chunk_size):
        yield writer.writerow([safe_text(c.get(obj)) for c in spec.columns])


def _xlsx_value(value):
    """Numbers, dates and text stay typed in Excel; everything else becomes text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, bool):
        return text(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", text(value))


def write_xlsx(fileobj, queryset, spec, title="", chunk_size=CHUNK_SIZE):
    """Write the export as an XLSX workbook to `fileobj`; returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    headers = spec.headers()
    bold = Font(bold=True)
    sheet_title = (title or "Export")[:28]
    sheets = 0
    ws = None
    written = 0

    def new_sheet():
        nonlocal ws, sheets
        sheets += 1
        ws = wb.create_sheet(sheet_title if sheets == 1 else f"{sheet_title} {sheets}"[:31])
        if translation.get_language_bidi():
            ws.sheet_view.rightToLeft = True
        row = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            row.append(cell)
        ws.append(row)

    new_sheet()
    in_sheet = 0
    for obj in rows(queryset, spec, chunk_size):
        if in_sheet >= XLSX_SHEET_ROWS:
            new_sheet()
            in_sheet = 0
        out = []
        for column in spec.columns:
            value = _xlsx_value(column.get(obj))
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # text, never a formula
                value = cell
            out.append(value)
        ws.append(out)
        in_sheet += 1
        written += 1
    wb.save(fileobj)
    return written


def filename_for(basename, fmt):
    return f"{basename}-{timezone.localdate().isoformat()}.{fmt}"


def export_response(queryset, spec, fmt, basename, chunk_size=CHUNK_SIZE):
    """A streaming download of `queryset` as CSV (default) or XLSX. The caller has
    checked the export permission and scoped the queryset."""
    fmt = fmt if fmt in FORMATS else "csv"
    filename = filename_for(basename, fmt)
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    if fmt == "xlsx":
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
        write_xlsx(tmp, queryset, spec, title=basename, chunk_size=chunk_size)
        tmp.seek(0)
        return FileResponse(
            tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )

    def stream():
        # The body is produced after the view returns, when the middleware has reset the
        # language and time zone: keep the request's.
        with translation.override(language), timezone.override(zone):
            yield from csv_lines(queryset, spec, chunk_size)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
