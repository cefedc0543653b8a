"""Read the tables people bring: CSV in whatever encoding their software wrote, and XLSX.

Excel on Windows still saves "CSV" in the machine's ANSI code page: cp874 (TIS-620) in
Thailand, cp1256 in Iran, cp1252 in the West; "Unicode text" is UTF-16 with tabs. The
detector tries the byte-order mark, then strict UTF-8, then UTF-16 without a mark, then
scores the single-byte code pages by how plausible the decoded letters are.
"""

import codecs
import contextlib
import csv
import datetime as dt
import io
import operator
import re
import zipfile
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ENCODING_CHOICES = [
    ("", _("Detect automatically")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp874", _("Thai (TIS-620 / Windows-874)")),
    ("cp1256", _("Persian/Arabic (Windows-1256)")),
    ("cp1252", _("Western (Windows-1252)")),
]
DELIMITERS = [",", ";", "\t", "|"]
# Encodings (as codecs names them) in which every byte below 0x80 is that ASCII character.
_BYTE_LINE_ENCODINGS = {
    "utf-8",
    "utf-8-sig",
    "ascii",
    "cp874",
    "tis-620",
    "cp1256",
    "cp1252",
    "iso8859-1",
}
_LINE_END = re.compile(rb"\r\n|\r|\n")
SAMPLE_BYTES = 64 * 1024
# When the first sample is plain ASCII, keep reading (up to this much) to find the
# first bytes that tell encodings apart: an English header is no evidence.
MAX_SNIFF_BYTES = 4 * 1024 * 1024

_THAI_COMBINING = (
    set(range(0x0E31, 0x0E32)) | set(range(0x0E34, 0x0E3B)) | set(range(0x0E47, 0x0E4F))
)
_THAI_BASE = (
    set(range(0x0E01, 0x0E31))
    | {0x0E32, 0x0E33}
    | set(range(0x0E3F, 0x0E47))
    | set(range(0x0E4F, 0x0E5C))
)
_THAI_LEADING = set(range(0x0E40, 0x0E45))
_THAI_CONSONANT = set(range(0x0E01, 0x0E2F))


def _thai_score(text):
    """Share of non-ASCII characters that are Thai in a plausible order."""
    good = bad = 0
    prev = ""
    for i, ch in enumerate(text):
        o = ord(ch)
        if o < 0x80:
            prev = ch
            continue
        if o in _THAI_COMBINING:
            # A vowel or tone mark sits on a consonant (or on another mark).
            p = ord(prev) if prev else 0
            if p in _THAI_CONSONANT or p in _THAI_COMBINING or p in (0x0E24, 0x0E26):
                good += 1
            else:
                bad += 1
        elif o in _THAI_LEADING:
            nxt = ord(text[i + 1]) if i + 1 < len(text) else 0
            if nxt in _THAI_CONSONANT:
                good += 1
            else:
                bad += 1
        elif o in _THAI_BASE:
            good += 1
        else:
            bad += 1
        prev = ch
    return good / ((good + bad) or 1)


def _non_ascii_share(text, fits, weight=1.0):
    """Share (times `weight`) of the non-ASCII characters of `text` for which
    `fits(ch, ord(ch))` holds."""
    good = bad = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        if fits(ch, o):
            good += 1
        else:
            bad += 1
    return weight * good / ((good + bad) or 1)


def _arabic_score(text):
    """Share of non-ASCII characters that are Arabic-script letters or joiners."""
    return _non_ascii_share(
        text, lambda ch, o: 0x0600 <= o <= 0x06FF or o in (0x200C, 0x200D, 0x200E, 0x200F, 0xA0)
    )


def _latin_score(text):
    # Slightly below a perfect Thai/Arabic score: Thai and Persian bytes often decode to
    # accented Latin letters too, and those users are who this detector is for.
    return _non_ascii_share(
        text, lambda ch, o: (ch.isalpha() and o < 0x250) or ch in "€£°–—‘’“”•…\xa0©®§", 0.98
    )


_SCORERS = [("cp874", _thai_score), ("cp1256", _arabic_score), ("cp1252", _latin_score)]


def _utf16_without_bom(head):
    """UTF-16 without a mark: every other byte is the high byte of a Latin (00), Arabic
    (06), Thai (0E) or punctuation (20) character; no text in a byte encoding looks so."""
    n = len(head) // 2 * 2
    if n < 8:
        return None
    for encoding, high in (("utf-16-le", head[1:n:2]), ("utf-16-be", head[0:n:2])):
        script = sum(1 for b in high if b in (0x00, 0x06, 0x0E))
        if script >= 0.5 * len(high) and script + high.count(0x20) >= 0.95 * len(high):
            try:
                head[:n].decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


def detect_encoding(sample):
    """The most likely encoding of `sample` (bytes from the start of a file)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if utf16 := _utf16_without_bom(sample[:4000]):
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best, best_score = "cp1252", -1.0
    for encoding, scorer in _SCORERS:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = scorer(text)
        if score > best_score:
            best, best_score = encoding, score
    return best


def sniff_sample(fileobj):
    """Bytes from the start of the file, enough to tell the encoding; rewinds the file."""
    fileobj.seek(0)
    sample = fileobj.read(SAMPLE_BYTES)
    if sample.isascii():
        # Read on, but keep only a window around the first non-ASCII byte.
        read = len(sample)
        while read < MAX_SNIFF_BYTES:
            more = fileobj.read(SAMPLE_BYTES)
            if not more:
                break
            read += len(more)
            if not more.isascii():
                first = next(i for i, b in enumerate(more) if b >= 0x80)
                sample = sample[:4000] + more[max(0, first - 100) :]
                break
    fileobj.seek(0)
    return sample


def detect_delimiter(text):
    """The delimiter that splits the first lines into the most, and most regular, columns."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_key = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        regular = sum(1 for c in counts if c == counts[0])
        key = (regular if counts[0] > 1 else 0, counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


# Excel writes control characters in cell text as _xHHHH_ (ECMA-376 ST_Xstring), which
# openpyxl leaves as they are; a literal "_x" before four hex digits is written _x005F_x…,
# and openpyxl removes that "x005F_" already. Only control characters are ever escaped.
_XLSX_ESCAPE = re.compile("_x00[01][0-9A-Fa-f]_")


def _unescape_control(match):
    return chr(int(match.group()[2:6], 16))


def clean_text(text):
    """Cell text without NUL characters: they mean nothing in a name or a phone, the
    databases cut text at them (SQLite's JSON functions) or refuse it (PostgreSQL), so
    a NUL would lose the rest of its cell, or the whole row."""
    return text.replace("\0", "") if "\0" in text else text


_DROP_NUL = operator.methodcaller("replace", "\0", "")


def cell_text(value):
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "_x" in value:
            value = _XLSX_ESCAPE.sub(_unescape_control, value)
        return clean_text(value).strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, int, Decimal)):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value).strip()


class Table:
    """Rows of a CSV or XLSX file as lists of strings, read as a stream."""

    def __init__(self, fileobj, name, encoding="", delimiter="", sheet=""):
        self.fileobj = fileobj
        self.name = name or ""
        self.format = "xlsx" if self.name.lower().endswith((".xlsx", ".xlsm")) else "csv"
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self.sheets = []
        self._wb = None
        if self.format == "csv":
            if not self.encoding:
                self.encoding = detect_encoding(sniff_sample(fileobj))
            if not self.delimiter:
                fileobj.seek(0)
                head = fileobj.read(SAMPLE_BYTES)
                fileobj.seek(0)
                text = codecs.getincrementaldecoder(self.encoding)(errors="replace").decode(head)
                self.delimiter = detect_delimiter(text.lstrip("\ufeff"))
        else:
            self.encoding = self.delimiter = ""
            self._open_workbook()

    def _open_workbook(self):
        from openpyxl.reader.excel import ExcelReader

        self.fileobj.seek(0)
        # load_workbook(read_only=True, data_only=True), over an archive whose XML parts
        # are read without NUL bytes (a NUL is not allowed in XML: one in a cell written
        # by a careless tool would stop the parser, and the file, at that cell).
        reader = ExcelReader(self.fileobj, read_only=True, data_only=True)
        reader.archive.close()
        self.fileobj.seek(0)
        reader.archive = _NulFreeZip(self.fileobj)
        reader.read()
        self._wb = reader.wb
        self.sheets = list(self._wb.sheetnames)
        if self.sheet not in self.sheets:
            self.sheet = self.sheets[0]

    def _worksheet(self):
        ws = self._wb[self.sheet]
        # The <dimension> tag at the top of a sheet is what its writer claimed, and some
        # tools write a stale one ("A1:B2" on a sheet of a thousand rows): openpyxl would
        # stop reading there. Read the rows that are really there.
        ws.reset_dimensions()
        return ws

    def rows(self):
        """Every row, the header row included; blank rows are skipped."""
        if self.format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    @contextlib.contextmanager
    def _csv_reader(self):
        """A csv.reader over the file from its start; the file stays open afterwards."""
        self.fileobj.seek(0)
        raw = io.BufferedReader(_Unclosable(self.fileobj), 256 * 1024)
        stream = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
        try:
            # NULs dropped line by line, at C speed (see clean_text).
            yield csv.reader(map(_DROP_NUL, stream), delimiter=self.delimiter)
        finally:
            stream.detach()

    def _csv_rows(self):
        with self._csv_reader() as reader:
            first = True
            for row in reader:
                if first:
                    first = False
                    if row and row[0].startswith("\ufeff"):
                        row[0] = row[0][1:]
                if not row or not any(row):
                    continue
                yield [v.strip() for v in row]

    def _xlsx_rows(self):
        ws = self._worksheet()
        for values in ws.iter_rows(values_only=True):
            row = [cell_text(v) for v in values]
            while row and not row[-1]:
                row.pop()
            if row:
                yield row

    def count(self):
        """Rows in the file (header included), or None when only a full read would tell."""
        if self.format == "xlsx":
            return self._count_xlsx_rows()
        fast = self._count_lines()
        if fast is not None:
            return fast
        # The rows `_csv_rows` would yield, without stripping every cell of every row.
        with self._csv_reader() as reader:
            return sum(1 for row in reader if any(row))

    def _count_lines(self):
        """`count()` from the bytes, five times faster than the csv module, where that is
        exact: an encoding in which line ends and the delimiter are single ASCII bytes that
        no other character contains, and no quote character (which could hold a line end
        inside a cell). A row is then a line, and a blank row a line of only delimiters.
        None otherwise."""
        try:
            name = codecs.lookup(self.encoding).name
        except LookupError:
            return None
        if name not in _BYTE_LINE_ENCODINGS or not self.delimiter.isascii():
            return None
        delimiter = self.delimiter.encode()
        if len(delimiter) != 1:
            return None
        self.fileobj.seek(0)
        count, carry = 0, b""
        block = self.fileobj.read(1024 * 1024)
        if name.startswith("utf-8") and block.startswith(codecs.BOM_UTF8):
            block = block[3:]  # `_csv_rows` drops a BOM (the utf-8-sig decoder already does)
        while True:
            if block and (b'"' in block or b"\0" in block):
                return None
            # A \r\n split between two blocks reads as a line end and a blank line.
            lines = _LINE_END.split(carry + block)
            carry = lines.pop() if block else b""
            count += sum(1 for line in lines if line.strip(delimiter))
            if not block:
                return count
            block = self.fileobj.read(1024 * 1024)

    def _count_xlsx_rows(self):
        """`count()` of a sheet from its XML, without the dimension tag (which may be
        stale) and a hundred times faster than openpyxl reads it: the <row> elements that
        hold a value (a <v> or an inline <t> that is not blank), as `_xlsx_rows` skips
        blank rows. An independent count: the runner compares it with the rows read."""
        ws = self._wb[self.sheet]
        count = 0
        close = None
        with ws._get_source() as src:
            buffer = b""
            while True:
                block = src.read(1024 * 1024)
                buffer += block
                if close is None:
                    found = _XML_SHEET_DATA.search(buffer)
                    if found is None:
                        if block:
                            continue
                        return 0
                    close = b"</" + (found.group(1) or b"") + b"row>"
                # Split at the ends of rows (a row without a value, written <row/>, joins
                # the next one, which changes nothing); the last piece waits for more,
                # and at the end holds no row (what follows </sheetData>).
                rows = buffer.split(close)
                buffer = rows.pop()
                count += sum(1 for row in rows if _XML_VALUE.search(row))
                if not block:
                    return count

    def close(self):
        if self._wb is not None:
            self._wb.close()


_XML_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")
_XML_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)\b[^>/]*>\s*[^<\s]")


class _NulFreeZip(zipfile.ZipFile):
    """A workbook's archive whose XML parts read without NUL bytes (UTF-8 parts only:
    in UTF-16 every other byte of Latin text is a NUL)."""

    def open(self, name, mode="r", pwd=None, **kwargs):
        stream = super().open(name, mode, pwd, **kwargs)
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode != "r" or not filename.endswith((".xml", ".rels")):
            return stream
        return io.BufferedReader(_NulFree(stream))


class _NulFree(io.RawIOBase):
    def __init__(self, stream):
        self.stream = stream
        self.filter = None  # decided by the first bytes
        self.pending = b""

    def readable(self):
        return True

    def readinto(self, buffer):
        while True:
            data = self.pending or self.stream.read(len(buffer))
            self.pending = b""
            if not data:
                return 0
            if self.filter is None:
                utf16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\0", b"\0<")
                self.filter = not data.startswith(utf16)
            if self.filter:
                data = data.replace(b"\0", b"")
                if not data:
                    continue
            n = min(len(buffer), len(data))
            buffer[:n] = data[:n]
            self.pending = data[n:]
            return n

    def close(self):
        self.stream.close()
        super().close()


class _Unclosable(io.RawIOBase):
    """A raw stream over a Django File so TextIOWrapper can read it without closing it."""

    def __init__(self, f):
        self.f = f

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.f.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        pass


def open_table(fileobj, name, encoding="", delimiter="", sheet=""):
    return Table(fileobj, name, encoding=encoding, delimiter=delimiter, sheet=sheet)
