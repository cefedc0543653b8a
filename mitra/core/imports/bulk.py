"""Fast bulk inserts for imports: values prepared per column, not per field method call.

Django's `bulk_create` prepares every field of every object through several method calls;
for a model with sixty columns that is most of an import's time (measured: 130 µs per
party on SQLite, of which the database needs under 10). `BulkInserter` prepares each
column's default once and converts only the values a row sets. On SQLite the rows travel
as one JSON array per batch (`INSERT … SELECT … FROM json_each(?)`), so neither Django's
placeholder rewriting nor binding sixty parameters per row costs anything; elsewhere it is
one multi-row INSERT … RETURNING per batch. Rows still meet every constraint of the
database, and callers build them from validated data: this skips overhead, not checks.

Multi-row VALUES bound on the driver's cursor was tried on SQLite too. It was slower:
party inserts took about 35 µs a row at a million parties, against 23 µs through
json_each, even though SQLite before 3.45 parses each row's JSON again for every `->>`.
"""

import json
import os
import time
import uuid

from django.db import connections, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone


class BulkInserter:
    """Insert rows (dicts of attname -> Python value) into `model`; returns their pks in order."""

    def __init__(self, model, using="default", key_field=None):
        self.model = model
        self.connection = connections[using]
        self.key_field = key_field  # a unique column to find pks by where RETURNING is missing
        meta = model._meta
        auto_pk = isinstance(
            meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
        )
        self.fields = [f for f in meta.concrete_fields if not (f.primary_key and auto_pk)]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.by_attname = {f.attname: f for f in self.fields}
        self.per_row_defaults = []  # fields with callable defaults such as uuid4
        self.auto_now = []  # created_at/updated_at: stamped at each insert
        self.template = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.auto_now.append(f)
                continue
            if f.has_default() and callable(f.default):
                self.per_row_defaults.append(f)
                continue
            if f.default is not NOT_PROVIDED:
                value = f.get_default()
            elif f.null:
                value = None
            elif f.empty_strings_allowed:
                value = ""
            else:
                value = None
            self.template[f.attname] = self.prep(f, value)
        # Fields whose Python value is already what the database takes.
        self.simple = {
            f.attname
            for f in self.fields
            if not isinstance(
                f,
                models.JSONField
                | models.UUIDField
                | models.DecimalField
                | models.DateField
                | models.TimeField,
            )
        }
        qn = self.connection.ops.quote_name
        self.qn = qn
        self.table = qn(meta.db_table)
        self.pk_column = qn(meta.pk.column)

    def _defaults(self, field, count):
        """`count` fresh values of a callable default, ready for the database."""
        if isinstance(field, models.UUIDField) and field.default is uuid.uuid4:
            ids = uuid7s(count)
        else:
            ids = [field.default() for _ in range(count)]
        return [self.prep(field, value) for value in ids]

    def prep(self, field, value):
        if value is None:
            return None
        return field.get_db_prep_save(value, self.connection)

    def _shared_values(self, constants):
        """The values every row of one insert starts from: the model's defaults, the
        auto_now times and the caller's `constants`, prepared for the database."""
        now = timezone.now()
        batch = dict(self.template)
        for f in self.auto_now:
            batch[f.attname] = self.prep(f, now.date() if type(f) is models.DateField else now)
        for name, value in (constants or {}).items():
            batch[name] = self.prep(self.by_attname[name], value)
        return batch

    def insert(self, rows, returning=True, constants=None, columns=None):
        """Insert `rows`; returns the new primary keys (in order) when `returning`.

        `constants` ({attname: value}) are the same for every row; `columns`
        ({attname: [value per row]}) override the rows' own, so callers need not copy
        each row's dict to add a foreign key.
        """
        if not rows:
            return []
        batch = self._shared_values(constants)
        columns = columns or {}
        fixed = set(constants or ()) | set(columns)
        # Columns set by any row travel with each row; the others are constants of the batch.
        variable = [
            name for name in dict.fromkeys(n for row in rows for n in row) if name not in fixed
        ]
        variable += [
            f.attname
            for f in self.per_row_defaults
            if f.attname not in variable and f.attname not in fixed
        ]
        for name in (*variable, *columns):
            batch.pop(name, None)
        generated = {
            f.attname: self._defaults(f, len(rows))
            for f in self.per_row_defaults
            if f.attname in variable and any(f.attname not in row for row in rows)
        }
        # Per column: the field when its values need converting, None when they go as is.
        plain = [
            (name, None if name in self.simple else self.by_attname[name]) for name in variable
        ]
        given = [
            [self.prep(self.by_attname[name], v) if name not in self.simple else v for v in values]
            for name, values in columns.items()
        ]
        template = self.template
        values = []
        for i, row in enumerate(rows):
            out = []
            for name, field in plain:
                value = row.get(name, _MISSING)
                if value is _MISSING:
                    value = generated[name][i] if name in generated else template.get(name)
                elif field is not None and value is not None:
                    value = self.prep(field, value)
                out.append(value)
            for column in given:
                out.append(column[i])
            values.append(out)
        variable += list(columns)
        constants = batch
        if self.connection.vendor == "sqlite" and _sqlite_has_json_operators(self.connection):
            return self._insert_sqlite(variable, constants, values, returning)
        if self.connection.vendor == "postgresql":
            return self._insert_json(variable, constants, values, returning)
        return self._insert_values(variable, constants, values, returning)

    # -- rows encoded ahead of time -------------------------------------------------------
    def layout(self, names, tail=()):
        """A fixed column order for rows encoded before the insert (`Layout.encode`), for
        instance in the process that parses the file, so the writing process only joins
        them. `tail` columns are given at insert time (a code, a parent's id)."""
        return Layout(self, names, tail)

    def insert_encoded(self, layout, rows, returning=True, constants=None, keys=None):
        """Insert rows made by `layout.encode(...)` and completed with `layout.finish(...)`;
        `keys` are the rows' values of the key field (to match RETURNING rows)."""
        if not rows:
            return []
        batch = self._shared_values(constants)
        variable = [*layout.names, *layout.tail]
        for name in variable:
            batch.pop(name, None)
        if layout.json and self.connection.vendor == "postgresql":
            return self._insert_json(variable, batch, rows, returning, encoded=True, keys=keys)
        if layout.json:
            return self._insert_sqlite(variable, batch, rows, returning, encoded=True, keys=keys)
        return self._insert_values(variable, batch, rows, returning)

    def _insert_sqlite(self, variable, constants, values, returning, encoded=False, keys=None):
        # One JSON document per batch: SQLite reads it in C (`json_each`), no per-value binding.
        cols = [*variable, *constants]
        exprs = [f"j.value ->> {i}" for i in range(len(variable))] + ["%s"] * len(constants)
        sql = (
            f"INSERT INTO {self.table} ({', '.join(self.qn(fields_col(self, c)) for c in cols)}) "
            f"SELECT {', '.join(exprs)} FROM json_each(%s) j"
        )
        tail, key_index = self._returning(variable, returning, order_by="j.key")
        sql = (sql + tail).replace("%s", "?")
        params = list(constants.values())
        pks = []
        self.connection.ensure_connection()
        cursor = self.connection.connection.cursor()
        try:
            with self.connection.wrap_database_errors:
                for payload, part_keys in _json_batches(values, encoded, keys, key_index):
                    cursor.execute(sql, [*params, payload])
                    if returning:
                        pks += _returned_pks(cursor, key_index, part_keys)
        finally:
            cursor.close()
        return pks

    def _insert_json(self, variable, constants, values, returning, encoded=False, keys=None):
        """PostgreSQL: one JSON array per batch, unpacked by the server with a cast per
        column (binding thousands of parameters per statement costs more than the insert)."""
        conn = self.connection
        cols = [*variable, *constants]
        exprs = [
            f"(j.value ->> {i})::{self.by_attname[name].db_type(conn)}"
            if self.by_attname[name].db_type(conn)
            else f"j.value ->> {i}"
            for i, name in enumerate(variable)
        ] + ["%s"] * len(constants)
        sql = (
            f"INSERT INTO {self.table} ({', '.join(self.qn(fields_col(self, c)) for c in cols)}) "
            f"SELECT {', '.join(exprs)} FROM json_array_elements(%s::json) WITH ORDINALITY AS j(value, n)"
        )
        tail, key_index = self._returning(variable, returning, order_by="j.n")
        sql += tail
        params = list(constants.values())
        pks = []
        with conn.cursor() as cursor:
            for payload, part_keys in _json_batches(values, encoded, keys, key_index):
                cursor.execute(sql, [*params, payload])
                if returning:
                    pks += _returned_pks(cursor, key_index, part_keys, as_key=str)
        return pks

    def _returning(self, variable, returning, order_by):
        """The RETURNING tail of a JSON-batch insert, and where the key that matches the
        returned rows to the inserted ones stands in a row (None: no key)."""
        if returning and self.key_field:
            # Neither engine promises RETURNING rows in insert order: match them by key.
            key = self.model._meta.get_field(self.key_field)
            tail = f" RETURNING {self.pk_column}, {self.qn(key.column)}"
            return tail, variable.index(key.attname)
        if returning:
            # Without a key, rows must go in (and come back) in order; ORDER BY costs a
            # sort, which inserts that return nothing or match by key do without.
            return f" ORDER BY {order_by} RETURNING {self.pk_column}", None
        return "", None

    def _insert_values(self, variable, constants, values, returning):
        cols = [*variable, *constants]
        const = list(constants.values())
        placeholder = "(" + ", ".join(["%s"] * len(cols)) + ")"
        batch = max(1, min(1000, 65535 // max(1, len(cols))))
        features = self.connection.features
        sql_cols = ", ".join(self.qn(fields_col(self, c)) for c in cols)
        pks = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), batch):
                part = values[start : start + batch]
                sql = f"INSERT INTO {self.table} ({sql_cols}) VALUES " + ", ".join(
                    [placeholder] * len(part)
                )
                params = [v for row in part for v in (*row, *const)]
                if returning and features.can_return_rows_from_bulk_insert:
                    cursor.execute(f"{sql} RETURNING {self.pk_column}", params)
                    pks += [r[0] for r in cursor.fetchall()]
                else:
                    cursor.execute(sql, params)
                    if returning:
                        pks += self._pks_without_returning(cursor, variable, part)
        return pks

    def _pks_without_returning(self, cursor, variable, part):
        if self.key_field is None:
            # MySQL gives the first id of a multi-row insert; one statement's ids are
            # consecutive (InnoDB reserves them together for an insert of known size).
            first = cursor.lastrowid
            return list(range(first, first + len(part)))
        attname = self.model._meta.get_field(self.key_field).attname
        i = variable.index(attname)
        keys = [row[i] for row in part]
        found = dict(
            self.model._base_manager.filter(**{f"{attname}__in": keys}).values_list(attname, "pk")
        )
        return [found[k] for k in keys]


_MISSING = object()
# One encoder for every row: json.dumps() with options builds a new encoder on each call
# (and JSONEncoder.encode a new C iterator), which costs as much as the encoding.
_encoder = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))
_c_iter = (
    json.encoder.c_make_encoder(
        None, str, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    if json.encoder.c_make_encoder is not None
    else None
)


def _json_batches(values, encoded, keys, key_index):
    """The rows in batches of 5000, each as one JSON array, with the keys of its rows
    (`keys` when the rows are already encoded, else column `key_index`; none without)."""
    for start in range(0, len(values), 5000):
        part = values[start : start + 5000]
        if encoded:  # rows already JSON arrays: join them
            part_keys = keys[start : start + 5000] if keys is not None else ()
            yield "[" + ",".join(part) + "]", part_keys
        else:
            part_keys = [row[key_index] for row in part] if key_index is not None else ()
            yield _encode(part), part_keys


def _returned_pks(cursor, key_index, part_keys, as_key=lambda k: k):
    """The primary keys a batch's RETURNING gave, in the order its rows went in."""
    if key_index is None:
        return [r[0] for r in cursor.fetchall()]
    by_key = {as_key(k): pk for pk, k in cursor.fetchall()}
    return [by_key[as_key(k)] for k in part_keys]


def _encode(value):
    if _c_iter is not None and type(value) is list:
        return "".join(_c_iter(value, 0))
    return _encoder.encode(value)


def _tail(value):
    # Codes and ids, the usual tail values, without going through the encoder.
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return json.encoder.encode_basestring(value)
    return _encode(value)


class Layout:
    """Rows of one table encoded in a fixed column order (see BulkInserter.layout).

    On SQLite a row is JSON text missing its closing bracket, so `finish` appends the tail
    values by string concatenation; elsewhere a list.
    """

    def __init__(self, inserter, names, tail=()):
        self.names = list(names)
        self.tail = list(tail)
        vendor = inserter.connection.vendor
        self.json = vendor == "postgresql" or (
            vendor == "sqlite" and _sqlite_has_json_operators(inserter.connection)
        )
        # Per column: its position and the field when values need converting.
        self._columns = {
            name: (i, None if name in inserter.simple else inserter.by_attname[name])
            for i, name in enumerate(self.names)
        }
        self._defaults = [inserter.template.get(name) for name in self.names]
        self._uuid = [
            (i, inserter.by_attname[name])
            for i, name in enumerate(self.names)
            if any(
                f.attname == name and isinstance(f, models.UUIDField)
                for f in inserter.per_row_defaults
            )
        ]
        self._uuids = []
        self._prep = inserter.prep
        self._native_uuid = inserter.connection.features.has_native_uuid_field
        # True when every column takes its Python value as is (see encode_values).
        self.plain = not self._uuid and all(f is None for _i, f in self._columns.values())

    def _next_uuid(self, field):
        if not self._uuids:
            # What UUIDField.get_db_prep_value gives, made directly: a UUID where the
            # database has the type, else its 32 hex digits (no UUID object per row).
            self._uuids = uuid7s(1000) if self._native_uuid else uuid7_hexes(1000)
        return self._uuids.pop()

    def encode(self, row):
        out = list(self._defaults)
        for i, field in self._uuid:
            out[i] = self._next_uuid(field)
        columns = self._columns
        for name, value in row.items():
            column = columns.get(name)
            if column is None:
                continue
            i, field = column
            out[i] = value if field is None or value is None else self._prep(field, value)
        if self.json:
            return _encode(out)[:-1]
        return out

    def encode_values(self, values):
        """`encode()` of a row given as its values in column order, for layouts whose
        columns need no conversion (`plain`): no dict to walk, no defaults to copy."""
        if not self.plain:
            raise ValueError("encode_values() needs a layout of plain columns")
        if self.json:
            return _encode(list(values))[:-1]
        return list(values)

    def finish(self, encoded, *tail):
        """`encoded` with the tail values (in `tail` order) added."""
        if self.json:
            if len(tail) == 1 and type(tail[0]) is int:
                return f"{encoded},{tail[0]}]"  # a parent's id: the usual tail, made fast
            return encoded + "".join("," + _tail(v) for v in tail) + "]"
        return [*encoded, *tail]


def _uuid7_ints(count):
    stamp = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    head = (stamp << 80) | (0x7 << 76) | (0b10 << 62)
    data = os.urandom(10 * count)
    out = []
    for i in range(0, 10 * count, 10):
        rand = int.from_bytes(data[i : i + 10], "big")
        out.append(head | (((rand >> 62) & 0xFFF) << 64) | (rand & ((1 << 62) - 1)))
    return out


def uuid7s(count):
    """`count` time-ordered UUIDs (RFC 9562 version 7: a millisecond timestamp, then 74
    random bits), from one system call.

    For rows created in bulk instead of uuid4: still unguessable, but each batch lands at
    the end of the unique index (and its copy in the history table) instead of on as
    many random pages as it has rows, which at a million rows is what a commit writes.
    """
    return [uuid.UUID(int=n) for n in _uuid7_ints(count)]


def uuid7_hexes(count):
    """`uuid7s(count)` as 32 lowercase hex digits each (`UUID.hex`)."""
    return [f"{n:032x}" for n in _uuid7_ints(count)]


def _sqlite_has_json_operators(connection):
    import sqlite3

    return sqlite3.sqlite_version_info >= (3, 38)


def fields_col(inserter, attname):
    return inserter.by_attname[attname].column


def in_values(values, using="default"):
    """The right-hand side of an `__in` lookup over many values.

    On SQLite a JSON array read by `json_each` (one parameter: Django would otherwise
    rewrite thousands of placeholders with a regex, and SQLite caps their number);
    elsewhere the plain list.
    """
    values = list(values)
    if connections[using].vendor == "sqlite" and len(values) > 20:
        from django.db.models.expressions import RawSQL

        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values, ensure_ascii=False)])
    return values


def copy_history(model, pks, user=None, reason="", when=None, using="default"):
    """simple-history "+" (created) records for rows of `model` just inserted, copied by the
    database itself (INSERT … SELECT), so a party's history says who created it and from
    which file at almost no cost."""
    if not pks:
        return
    connection = connections[using]
    qn = connection.ops.quote_name
    history = model.history.model
    source_columns = {f.column for f in model._meta.concrete_fields}
    copy = [f.column for f in history._meta.concrete_fields if f.column in source_columns]
    extra = ["history_date", "history_type", "history_change_reason", "history_user_id"]
    date_field = history._meta.get_field("history_date")
    params = [
        date_field.get_db_prep_save(when or timezone.now(), connection),
        "+",
        reason or None,
        getattr(user, "pk", None),
    ]
    columns = ", ".join(qn(c) for c in [*copy, *extra])
    select = ", ".join(qn(c) for c in copy)
    pk = qn(model._meta.pk.column)
    base = (
        f"INSERT INTO {qn(history._meta.db_table)} ({columns}) "
        f"SELECT {select}, %s, %s, %s, %s FROM {qn(model._meta.db_table)} WHERE {pk} "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                base + "IN (SELECT value FROM json_each(%s))", [*params, json.dumps(list(pks))]
            )
        elif connection.vendor == "postgresql":
            cursor.execute(base + "= ANY(%s)", [*params, list(pks)])
        else:
            for start in range(0, len(pks), 5000):
                part = list(pks[start : start + 5000])
                cursor.execute(
                    base + "IN (" + ", ".join(["%s"] * len(part)) + ")", [*params, *part]
                )
