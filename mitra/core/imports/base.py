"""The Importer an app subclasses: its fields, how rows match records, how rows are written.

The runner reads the file in chunks and for each chunk calls, in order:

1. `parse(row)` for every row: field parsers, then `clean(row)` for rules across fields;
2. `keys(row.data)` for valid rows and one `lookup(keys)` for the whole chunk, which
   returns the existing records (their pks) that rows duplicate;
3. `create(rows)` and `update(rows)` inside a savepoint; when that raises, the chunk is
   written again one row at a time, each in its own savepoint, so a bad row is reported
   and the good ones land.

The defaults of `create`/`update` call `create_one`/`update_one` per row, which an app
implements with its actions; an app that needs speed overrides `create`/`update` with
bulk inserts (see `mitra.parties.importers`).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.core.policy import Action, has_module_perm
from mitra.core.text import compact


@dataclass(slots=True)
class Row:
    number: int  # the row's line in the file, as a spreadsheet numbers it (header = 1)
    values: list  # the cells as read, for the error report
    raw: dict = field(default_factory=dict)  # field name -> cell text (non-empty only)
    data: dict = field(default_factory=dict)  # field name -> parsed value
    errors: list = field(default_factory=list)
    keys: list = field(default_factory=list)  # duplicate keys, most telling first
    match: Any = None  # pk of the existing record this row duplicates
    earlier: Any = None  # a row above in the same chunk that this one duplicates
    shared: bool = True  # False when no other row of its chunk has any of its keys
    action: str = ""  # create / update / skip
    pk: Any = None  # the record written
    extra: dict = field(default_factory=dict)  # the importer's scratch space


class Importer:
    """Subclass per target model; instances live for one job (or one preview)."""

    label = gettext_lazy("records")  # plural noun shown in titles: "Import parties"
    module = ""  # the permission-matrix module (import needs Action.IMPORT + CREATE there)
    chunk_size = 2000
    preview_rows = 20

    def __init__(self, user, job=None):
        self.user = user
        self.job = job
        self.options = job.options if job is not None else {}

    @classmethod
    def path(cls):
        return f"{cls.__module__}.{cls.__qualname__}"

    # Fields ---------------------------------------------------------------------------
    def get_fields(self):
        """The ImportField list; built per instance so labels translate."""
        raise NotImplementedError

    @property
    def fields(self):
        if not hasattr(self, "_fields"):
            self._fields = self.get_fields()
        return self._fields

    def guess_mapping(self, headers):
        """field name -> column index, by header names in English, Thai or Persian."""
        keys = {f.name: f.header_keys() for f in self.fields}
        mapping, used = {}, set()
        for index, header in enumerate(headers):
            key = compact(header)
            if not key:
                continue
            for f in self.fields:
                if f.name not in mapping and key in keys[f.name]:
                    mapping[f.name] = index
                    used.add(index)
                    break
        return mapping

    def check_mapping(self, mapping):
        """Messages about a column mapping that cannot work (beyond required fields)."""
        return []

    def get_option_fields(self):
        """Extra settings asked on the mapping page: {name: form field}; kept in job.options."""
        return {}

    # Permissions ----------------------------------------------------------------------
    def check_permission(self):
        if not (
            has_module_perm(self.user, self.module, Action.IMPORT)
            and has_module_perm(self.user, self.module, Action.CREATE)
        ):
            raise PermissionDenied

    def can_update(self):
        return has_module_perm(self.user, self.module, Action.EDIT)

    # Parsing --------------------------------------------------------------------------
    def parse(self, row):
        """Parse the row's mapped cells into `row.data`; messages go to `row.errors`.

        Runs in the reading process when a large file is read in parallel, so parse(),
        clean() and keys() must not touch the database.
        """
        data, errors = row.data, row.errors
        by_name = self.field_map
        for name, raw in row.raw.items():
            f = by_name.get(name)
            if f is None:
                continue
            if "\ufffd" in raw:
                errors.append(
                    _(
                        "%(field)s: the text could not be read; save the file as UTF-8 and try again."
                    )
                    % {"field": f.label}
                )
                continue
            try:
                data[name] = f.parser(raw)
            except Exception as exc:  # noqa: BLE001 - a parser's message goes to the report
                errors.append(f"{f.label}: {_message(exc)}")
        for f in self.required_fields:
            if f.name not in row.raw:
                errors.append(_("%(field)s: this value is required.") % {"field": f.label})
        if not errors:
            self.clean(row)

    @property
    def field_map(self):
        if not hasattr(self, "_field_map"):
            self._field_map = {f.name: f for f in self.fields}
            self._required = [f for f in self.fields if f.required]
        return self._field_map

    @property
    def required_fields(self):
        self.field_map  # noqa: B018 - builds both
        return self._required

    def clean(self, row):
        """Rules across fields; append messages to `row.errors`. No database here."""

    def prepare(self, row):
        """Work the write needs that takes no database (may run in the reading process);
        keep results in `row.extra`."""

    def transport(self, row):
        """Trim a parsed row before it is sent from the reading process to the writing
        one (what crosses is pickled twice); `full_data` gives the rest back."""

    def full_data(self, row):
        """The complete parsed data of `row` (see `transport`)."""
        return row.data

    def resolve(self, rows):
        """Database look-ups parse() could not do, once per chunk (user names, codes of
        related records…); append to `row.errors` to drop a row. Writes nothing."""

    def start(self):
        """Load, before reading begins, what parse() and keys() need from the database
        (they may run in another process that must not touch it)."""

    # Duplicates -----------------------------------------------------------------------
    def match(self, rows):
        """Set `row.match` (the pk of the existing record the row repeats, or None) for a
        chunk of valid rows. The default: one `lookup` of every row's keys; the first key
        found wins."""
        keys = {k for row in rows for k in row.keys}
        found = self.lookup(keys) if keys else {}
        for row in rows:
            row.match = next((found[k] for k in row.keys if k in found), None)

    def same(self, row, other):
        """Do two rows that share a key describe the same record?"""
        return True

    def keys(self, data):
        """Hashable keys that identify the record a row describes, most telling first."""
        return []

    def lookup(self, keys):
        """{key: pk} for existing records, visible to the user, that have any of `keys`."""
        return {}

    def describe(self, pks):
        """{pk: (label, url)} of matched records, for the preview."""
        return {}

    # Writes ---------------------------------------------------------------------------
    def before_write(self, rows):
        """Prepare a chunk's rows just before they are written (outside the bulk savepoint):
        create what rows refer to, append to `row.errors` to drop a row."""

    def create(self, rows):
        for row in rows:
            row.pk = self.create_one(row)

    def update(self, rows):
        for row in rows:
            self.update_one(row)
            row.pk = row.match

    def create_one(self, row):
        raise NotImplementedError

    def update_one(self, row):
        raise NotImplementedError

    def error_message(self, exc):
        """What the error report says when writing a row failed with `exc`."""
        from django.db import IntegrityError

        if isinstance(exc, IntegrityError):
            return _("The database refused this row (a value that must be unique is already used).")
        return _message(exc)

    def finish(self):
        """Called once after the last chunk (rebuild caches, search indexes…)."""


def _message(exc):
    messages = getattr(exc, "messages", None)
    if messages:
        return " ".join(str(m) for m in messages)
    return str(exc) or exc.__class__.__name__
