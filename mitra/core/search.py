"""Substring search in any script through each database's own index.

Thai is written without spaces between words and people search names, phones and codes
by any fragment, so word-based full-text search does not fit. Every searchable record
(a party, later a lead or a product) has one row in a shared table: its *kind*, its id and
a *body* of normalised text (`mitra.core.text.normalize`: names, codes, phone digits,
emails, IDs, addresses). A fragment of three characters or more is looked up through a
trigram index, built the way each engine does it best:

- SQLite: an FTS5 virtual table with the `trigram` tokenizer. The rowid packs the kind
  and the id (kind << 40 | id) so one kind is a rowid range.
- PostgreSQL: a plain table with a `pg_trgm` GIN index; `body LIKE '%frag%'` uses it.
- MariaDB/MySQL: a plain table plus a posting table of hashed trigrams (kind, gram, id)
  in a B-tree. MariaDB has no n-gram FULLTEXT parser, and InnoDB FULLTEXT only sees rows
  after commit, which would make search blind inside the transaction that wrote them.

Fragments under three characters cannot use a trigram index; they fall back to LIKE.

Apps register a `SearchKind` (name, stable code, rebuild function), keep their rows up
to date with `index()`/`unindex()`, and narrow querysets with `filter_queryset()`.
The tables are created by core's migration 0002 (`create_tables`).
"""

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db.models.expressions import RawSQL

from .text import digits_only, is_phone_like, normalize

TABLE = "core_search"
GRAM_TABLE = "core_search_gram"
GRAM = 3
KIND_SHIFT = 40  # ids below 2**40 (a trillion) per kind
CHUNK = 500
AUTOMERGE = 16  # SQLite: FTS5 merges segments when this many share a level


# -- kinds --------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchKind:
    """A kind of record in the index. `code` is stored in every row: never change it."""

    name: str
    code: int
    label: str = ""
    # Reindexes every record of the kind (management command `rebuild_search_index`);
    # returns how many were indexed.
    rebuild: Callable[..., int] | None = field(default=None, compare=False)

    def __post_init__(self):
        if not 0 < self.code < 2**15:
            raise ValueError("search kind codes are small positive integers")


_kinds: dict[str, SearchKind] = {}


def register_kind(kind):
    existing = _kinds.get(kind.name)
    if existing and existing.code != kind.code:
        raise ValueError(f"search kind {kind.name!r} registered with two codes")
    clash = next((k for k in _kinds.values() if k.code == kind.code and k.name != kind.name), None)
    if clash:
        raise ValueError(f"search kind code {kind.code} used by {clash.name!r}")
    _kinds[kind.name] = kind
    return kind


def kinds():
    return sorted(_kinds.values(), key=lambda k: k.code)


def get_kind(name_or_kind):
    if isinstance(name_or_kind, SearchKind):
        return name_or_kind
    return _kinds[name_or_kind]


# -- queries --------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the user typed, read for matching.

    `terms` must all occur in a body (any order): the words of the normalised query, or
    its digits alone when it looks like a phone number or ID typed with separators
    ("081-234 5678" finds 0812345678 and +66812345678).
    """

    raw: str
    text: str
    terms: tuple
    phone_digits: str = ""

    @property
    def indexed(self):
        """True when at least one term is long enough for the trigram index."""
        return any(len(t) >= GRAM for t in self.terms)

    def __bool__(self):
        return bool(self.terms)


def parse(q):
    """A `Query` for the search box text `q` (a `Query` is returned as it is)."""
    if isinstance(q, Query):
        return q
    raw = (q or "").strip()
    text = normalize(raw)
    if is_phone_like(raw):
        digits = digits_only(raw)
        return Query(raw, text, (digits,), digits)
    terms = tuple(dict.fromkeys(t for t in text.split(" ") if t))
    return Query(raw, text, terms)


def like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def trigrams(text):
    return {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}


# -- engines --------------------------------------------------------------------------


class _Backend:
    vendor = ""

    def __init__(self, connection):
        self.connection = connection

    def create(self):
        raise NotImplementedError

    def drop(self):
        raise NotImplementedError

    def configure(self):
        """Apply the index's tunable settings (run again by later migrations)."""

    def optimize(self):
        """Tidy the index after a bulk load or a bulk delete (where the engine needs it)."""

    def execute(self, sql, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)

    def executemany(self, sql, rows):
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, rows)

    def write(self, code, rows, replace=True):
        raise NotImplementedError

    def delete(self, code, ids):
        raise NotImplementedError

    def clear(self, code):
        raise NotImplementedError

    def match_sql(self, code, query):
        """SQL and params selecting the ids of `code` whose body holds every term."""
        raise NotImplementedError

    def body_of(self, code, object_id):
        raise NotImplementedError


class _SQLite(_Backend):
    vendor = "sqlite"

    @staticmethod
    def _range(code):
        return code << KIND_SHIFT, ((code + 1) << KIND_SHIFT) - 1

    def create(self):
        self.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(body, tokenize='trigram')"
        )
        self.configure()

    def configure(self):
        # FTS5 writes each transaction's rows as a new segment and merges segments as
        # they pile up: by default once 4 share a level. Merging at 16 instead rewrites
        # the index far less often (a 100k-row import at 1M parties: a third less time
        # in the index and a quarter less written to the WAL), while a lookup still
        # reads only a few dozen small segments (searches measured the same). Stored in
        # the table itself, so it holds for every connection.
        self.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('automerge', %s)", [AUTOMERGE])

    def drop(self):
        self.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def optimize(self):
        # One segment instead of the dozens a bulk load leaves, and deleted rows' markers
        # merged away: later writes then start from a small index to merge into.
        self.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")

    def write(self, code, rows, replace=True):
        base = code << KIND_SHIFT
        if replace:
            self.delete(code, [pk for pk, _ in rows])
        self.executemany(
            f"INSERT INTO {TABLE} (rowid, body) VALUES (%s, %s)",
            [(base + pk, body) for pk, body in rows],
        )

    def delete(self, code, ids):
        base = code << KIND_SHIFT
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = [base + pk for pk in ids[start : start + CHUNK]]
            marks = ", ".join(["%s"] * len(chunk))
            self.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)

    def clear(self, code):
        self.execute(f"DELETE FROM {TABLE} WHERE rowid BETWEEN %s AND %s", self._range(code))

    def match_sql(self, code, query):
        lo, hi = self._range(code)
        long_terms = [t for t in query.terms if len(t) >= GRAM]
        where, params = ["rowid BETWEEN %s AND %s"], [lo, hi]
        if long_terms:
            # Each term a quoted phrase: trigram FTS5 matches it as a substring.
            where.append(f"{TABLE} MATCH %s")
            params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for term in query.terms:
            if len(term) < GRAM:
                where.append("body LIKE %s ESCAPE '\\'")
                params.append(f"%{like_escape(term)}%")
        return f"SELECT rowid - {lo} AS object_id FROM {TABLE} WHERE {' AND '.join(where)}", params

    def body_of(self, code, object_id):
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT body FROM {TABLE} WHERE rowid = %s", [(code << KIND_SHIFT) + object_id]
            )
            row = cursor.fetchone()
        return row[0] if row else None


class _Table(_Backend):
    """A plain (kind, object_id, body) table: PostgreSQL and MySQL/MariaDB."""

    def write(self, code, rows, replace=True):
        if replace:
            self.delete(code, [pk for pk, _ in rows])
        self.executemany(
            f"INSERT INTO {TABLE} (kind, object_id, body) VALUES (%s, %s, %s)",
            [(code, pk, body) for pk, body in rows],
        )

    def delete(self, code, ids):
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            for table in self.tables():
                self.execute(
                    f"DELETE FROM {table} WHERE kind = %s AND object_id IN ({marks})",
                    [code, *chunk],
                )

    def clear(self, code):
        for table in self.tables():
            self.execute(f"DELETE FROM {table} WHERE kind = %s", [code])

    def tables(self):
        return [TABLE]

    def body_of(self, code, object_id):
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT body FROM {TABLE} WHERE kind = %s AND object_id = %s", [code, object_id]
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def _likes(self, query):
        return [f"{TABLE}.body LIKE %s"] * len(query.terms), [
            f"%{like_escape(t)}%" for t in query.terms
        ]


class _PostgreSQL(_Table):
    vendor = "postgresql"

    def create(self):
        self.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (kind smallint NOT NULL, object_id bigint NOT NULL,"
            f" body text NOT NULL, PRIMARY KEY (kind, object_id))"
        )
        # LIKE '%frag%' on the body: the trigram GIN index answers it.
        self.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_body_trgm ON {TABLE} USING gin (body gin_trgm_ops)"
        )

    def drop(self):
        self.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def match_sql(self, code, query):
        likes, params = self._likes(query)
        return (
            # "kind + 0": the planner must not read the whole kind through the primary key
            # and AND it with the trigram bitmap (it guesses a kind is rare).
            f"SELECT {TABLE}.object_id FROM {TABLE} WHERE {TABLE}.kind + 0 = %s AND {' AND '.join(likes)}",
            [code, *params],
        )


class _MySQL(_Table):
    vendor = "mysql"
    MAX_GRAMS = 4  # posting lists joined per query; LIKE checks the rest

    def create(self):
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (kind smallint NOT NULL, object_id bigint NOT NULL,"
            f" body longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
            f" PRIMARY KEY (kind, object_id)) ENGINE=InnoDB"
        )
        # One row per distinct trigram of a body: "which ids contain this trigram" is a
        # B-tree range (kind, gram).
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {GRAM_TABLE} (kind smallint NOT NULL, gram int unsigned NOT NULL,"
            f" object_id bigint NOT NULL, PRIMARY KEY (kind, gram, object_id),"
            f" KEY {GRAM_TABLE}_object (kind, object_id)) ENGINE=InnoDB"
        )

    def drop(self):
        self.execute(f"DROP TABLE IF EXISTS {GRAM_TABLE}")
        self.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def tables(self):
        return [TABLE, GRAM_TABLE]

    @staticmethod
    def gram_hash(gram):
        return zlib.crc32(gram.encode("utf-8"))

    def write(self, code, rows, replace=True):
        super().write(code, rows, replace)
        grams = [
            (code, h, pk) for pk, body in rows for h in {self.gram_hash(g) for g in trigrams(body)}
        ]
        for start in range(0, len(grams), CHUNK * 20):
            self.executemany(
                f"INSERT IGNORE INTO {GRAM_TABLE} (kind, gram, object_id) VALUES (%s, %s, %s)",
                grams[start : start + CHUNK * 20],
            )

    def match_sql(self, code, query):
        likes, like_params = self._likes(query)
        grams = []
        for term in sorted((t for t in query.terms if len(t) >= GRAM), key=len, reverse=True):
            # First, last and middle trigrams of the longest terms narrow the most.
            term_grams = [term[i : i + GRAM] for i in range(len(term) - GRAM + 1)]
            picks = [term_grams[0], term_grams[-1], term_grams[len(term_grams) // 2]]
            grams += [g for g in dict.fromkeys(picks) if g not in grams]
        hashes = list(dict.fromkeys(self.gram_hash(g) for g in grams))[: self.MAX_GRAMS]
        where, params = [f"{TABLE}.kind = %s"], [code]
        if hashes:
            joins = " ".join(
                f"JOIN {GRAM_TABLE} g{i} ON g{i}.kind = g0.kind AND g{i}.gram = %s"
                f" AND g{i}.object_id = g0.object_id"
                for i in range(1, len(hashes))
            )
            where.append(
                f"{TABLE}.object_id IN (SELECT g0.object_id FROM {GRAM_TABLE} g0 {joins}"
                f" WHERE g0.kind = %s AND g0.gram = %s)"
            )
            params += [*hashes[1:], code, hashes[0]]
        return (
            f"SELECT {TABLE}.object_id FROM {TABLE} WHERE {' AND '.join(where + likes)}",
            params + like_params,
        )


_BACKENDS = {b.vendor: b for b in (_SQLite, _PostgreSQL, _MySQL)}


def backend(connection=None):
    connection = connection or default_connection
    try:
        return _BACKENDS[connection.vendor](connection)
    except KeyError:
        raise NotImplementedError(f"no search index for {connection.vendor}") from None


# -- migrations -----------------------------------------------------------------------


def create_tables(apps, schema_editor):
    """RunPython forwards: the search tables for this database engine."""
    backend(schema_editor.connection).create()


def configure_tables(apps, schema_editor):
    """RunPython forwards: settings of the engine's search index that can change later."""
    backend(schema_editor.connection).configure()


def drop_tables(apps, schema_editor):
    backend(schema_editor.connection).drop()


# -- writing --------------------------------------------------------------------------

_SEPARATOR = "\n"  # between fields, so a fragment does not match across two of them


def body(*parts):
    """A body from field values: each normalised, blanks and repeats dropped."""
    seen = []
    for part in parts:
        text = normalize(part) if part else ""
        if text and text not in seen:
            seen.append(text)
    return _SEPARATOR.join(seen)


def index(kind, rows, connection=None, replace=True):
    """Store (id, body) rows of `kind`, replacing what was indexed for those ids.

    `replace=False` for ids known to be new (bulk inserts, a rebuild after `clear`): it
    skips the delete, which on SQLite also makes FTS5 flush its pending inserts.
    """
    kind = get_kind(kind)
    rows = [(int(pk), text or "") for pk, text in rows]
    engine = backend(connection)
    for start in range(0, len(rows), CHUNK):
        engine.write(kind.code, rows[start : start + CHUNK], replace)


def optimize(connection=None):
    """After a bulk load or delete: merge the index (SQLite FTS5), nothing elsewhere."""
    backend(connection).optimize()


def unindex(kind, ids, connection=None):
    backend(connection).delete(get_kind(kind).code, [int(pk) for pk in ids])


def unindex_sql(kind, cursor, ids_sql, ids_params):
    """Remove the rows of `kind` whose ids a SQL subquery selects (for bulk deletes in SQL)."""
    code = get_kind(kind).code
    if cursor.db.vendor == "sqlite":
        base = code << KIND_SHIFT
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid IN (SELECT {base} + ids.id FROM ({ids_sql}) ids)",
            ids_params,
        )
        return
    tables = [TABLE, GRAM_TABLE] if cursor.db.vendor == "mysql" else [TABLE]
    for table in tables:
        cursor.execute(
            f"DELETE FROM {table} WHERE kind = %s AND object_id IN (SELECT ids.id FROM ({ids_sql}) ids)",
            [code, *ids_params],
        )


def clear(kind, connection=None):
    backend(connection).clear(get_kind(kind).code)


def indexed_body(kind, object_id, connection=None):
    """The stored body of one record (None when it is not indexed); for tests and support."""
    return backend(connection).body_of(get_kind(kind).code, int(object_id))


# -- reading --------------------------------------------------------------------------


def match_sql(kind, query, connection=None):
    """(sql, params) selecting the ids of `kind` that contain every term of `query`."""
    if not isinstance(query, Query):
        query = parse(query)
    return backend(connection).match_sql(get_kind(kind).code, query)


def filter_queryset(queryset, kind, query, field="pk", limit=None):
    """`queryset` narrowed to records of `kind` whose indexed text holds `query`.

    Works for fragments of any length: under three characters it is a LIKE scan (correct,
    not indexed); callers wanting speed there add their own indexed prefix matches.
    `limit` caps how many matches are taken from the index (in index order) before the
    queryset's own filters apply: only right when those filters drop (almost) nothing.
    """
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return queryset
    sql, params = match_sql(kind, query, connection=_connection_for(queryset))
    if limit:
        # A derived table: MySQL refuses LIMIT directly inside IN (…).
        sql = f"SELECT capped.object_id FROM ({sql} LIMIT {int(limit)}) capped"
    return queryset.filter(**{f"{field}__in": RawSQL(sql, params)})


def matching_ids(kind, query, limit=None):
    """Ids of `kind` matching `query`, in index order (no ranking), at most `limit`."""
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return []
    sql, params = match_sql(kind, query)
    if limit:
        sql += f" LIMIT {int(limit)}"
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def matching_ids_any(kind, queries, limit_each=200):
    """Ids of `kind` matching any of `queries` (each capped at `limit_each`), one query."""
    parts, params = [], []
    for i, query in enumerate(q for q in map(parse, queries) if q):
        sql, p = match_sql(kind, query)
        parts.append(f"SELECT m{i}.* FROM ({sql} LIMIT {int(limit_each)}) m{i}")
        params += p
    if not parts:
        return set()
    with default_connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return {row[0] for row in cursor.fetchall()}


def _connection_for(queryset):
    from django.db import connections

    return connections[queryset.db]


def rebuild(kind=None, stdout=None):
    """Reindex every registered kind (or one); returns {kind name: count}."""
    done = {}
    for k in [get_kind(kind)] if kind else kinds():
        if k.rebuild is None:
            continue
        done[k.name] = k.rebuild(stdout=stdout)
    return done
