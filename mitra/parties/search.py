"""Finding parties by any fragment: the list's `?q=`, the top-bar search, the phone book.

Each party has one row in the core substring index (`mitra.core.search`, kind "party")
holding its normalised name, code, phones (international and national digits), emails,
websites, IDs and addresses. Saves of a party, its contact points and its addresses keep
that row current (`register()` connects the hooks); bulk writers that bypass `save()` call
`index_parties(ids)`, and `mitra rebuild_search_index` rebuilds everything.

Ranking in the top bar: exact code, name, phone, email or ID first; then names and codes
starting with the query; then names with a word starting with it; then any other
substring; higher priority first within each.
"""

import contextvars
import functools
import re
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from mitra.core import search as core_search
from mitra.core.policy import Scope, scope_of
from mitra.core.registry import register_search
from mitra.core.text import compact, digits_only, normalize, phone_candidates, phone_search_digits

CHUNK = 1000
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic, Persian
TOP = "\U0010ffff"  # sorts after every character: [text, text + TOP) is "starts with text"

# Party fields that go into the index; saves touching none of them skip reindexing.
PARTY_FIELDS = (
    "name", "search_name", "name_key", "code", "brand", "juristic_name", "national_id",
    "id_document_number", "tax_id", "vat_id", "registration_number",
)  # fmt: skip
ID_FIELDS = ("national_id", "id_document_number", "tax_id", "vat_id", "registration_number")
ADDRESS_FIELDS = ("line1", "line2", "district", "city", "province", "postcode")


# -- building the index -----------------------------------------------------------------


def party_body(party, contact_points=(), addresses=(), normal_parts=()):
    """The indexed text of a party. `party` is a dict of PARTY_FIELDS; `contact_points`
    (kind, value, e164) tuples; `addresses` tuples of ADDRESS_FIELDS; `normal_parts`
    address texts already normalised, added last (as `addresses` would add them)."""
    parts = [party["search_name"] or normalize(party["name"])]
    if party["name_key"] and party["name_key"] != parts[0].replace(" ", ""):
        parts.append(party["name_key"])  # "محمد رضا" also found as "محمدرضا"
    parts.append(normalize(party["code"]))
    for name in ("brand", "juristic_name"):
        parts.append(normalize(party[name]))
    for name in ID_FIELDS:
        value = party[name]
        if value:
            parts.append(normalize(value))
            digits = digits_only(value)
            if len(digits) >= 3:
                parts.append(digits)  # "1-2345-67890-12-3" found by 1234567890123
    for kind, value, e164 in contact_points:
        if e164:
            parts += phone_search_digits(e164)
        elif kind in ("phone", "mobile", "fax"):
            parts.append(digits_only(value))
        else:
            parts.append(normalize(value))
    for address in addresses:
        parts += [normalize(v) for v in address if v]
    parts += normal_parts
    return "\n".join(dict.fromkeys(p for p in parts if p))


def index_parties(ids, new=False):
    """Reindex the parties with these ids (missing ones are removed): 3 reads per 1,000.

    `new=True` when none of them is in the index yet (bulk inserts): no deletes first.
    """
    from .models import Address, ContactPoint, Party

    ids = list(dict.fromkeys(int(pk) for pk in ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        parties = {
            row["id"]: row
            for row in Party.all_objects.filter(pk__in=chunk).values("id", *PARTY_FIELDS)
        }
        points, places = _related(chunk, ContactPoint, Address)
        rows = [
            (pk, party_body(p, points.get(pk, ()), places.get(pk, ()))) for pk, p in parties.items()
        ]
        core_search.index(KIND, rows, replace=not new)
        gone = [pk for pk in chunk if pk not in parties]
        if gone and not new:
            core_search.unindex(KIND, gone)
    return len(ids)


def _related(ids, ContactPoint, Address):
    points, places = {}, {}
    for party_id, *row in (
        ContactPoint.objects.filter(party_id__in=ids)
        .values_list("party_id", "kind", "value", "e164")
        .order_by()
    ):
        points.setdefault(party_id, []).append(row)
    for party_id, *row in (
        Address.objects.filter(party_id__in=ids).values_list("party_id", *ADDRESS_FIELDS).order_by()
    ):
        places.setdefault(party_id, []).append(row)
    return points, places


def unindex_parties_sql(cursor, ids_sql, ids_params):
    """Drop the index rows of the parties a SQL subquery selects (column `id`), for code
    that deletes parties in bulk with SQL."""
    core_search.unindex_sql(KIND, cursor, ids_sql, ids_params)


def rebuild(stdout=None):
    """Reindex every party, trashed ones included (the policy hides those); returns the count."""
    from .models import Party

    core_search.clear(KIND)
    done, last = 0, 0
    while True:
        ids = list(
            Party.all_objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return done
        index_parties(ids, new=True)  # the kind was cleared above
        done, last = done + len(ids), ids[-1]
        if stdout is not None and done % 50000 < CHUNK:
            stdout.write(f"  {done} parties indexed\n")


KIND = core_search.SearchKind("party", 1, label=_("Parties"), rebuild=rebuild)


# -- keeping it current -------------------------------------------------------------------

_pending = contextvars.ContextVar("mitra_party_index_pending", default=None)


@contextmanager
def batch():
    """Reindex each touched party once, when the block ends, instead of on every save.

    For code that saves a party with many contact points and addresses in one go.
    """
    if _pending.get() is not None:  # already batching: the outer block flushes
        yield
        return
    token = _pending.set(set())
    try:
        yield
        ids = _pending.get()
    finally:
        _pending.reset(token)
    if ids:
        index_parties(ids)


def touch(party_id):
    """Reindex one party now, or at the end of the current `batch()`."""
    pending = _pending.get()
    if pending is not None:
        pending.add(party_id)
    else:
        index_parties([party_id])


def _party_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and not set(update_fields) & set(PARTY_FIELDS):
        return
    if created and _pending.get() is None:
        # Nothing can point at a brand-new party yet: index it from memory.
        values = {name: getattr(instance, name) for name in PARTY_FIELDS}
        core_search.index(KIND, [(instance.pk, party_body(values))])
        return
    touch(instance.pk)


def _party_deleted(sender, instance, **kwargs):
    core_search.unindex(KIND, [instance.pk])


def _child_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # A party deleted with its children: its own post_delete has unindexed it (or will).
    touch(instance.party_id)


def _after_flush(sender, **kwargs):
    """After a flush (TransactionTestCase, `flush`) the index table is not emptied by
    Django, which only knows model tables: empty it when no party is left."""
    from .models import Party

    if getattr(sender, "label", "") == "parties" and not Party.all_objects.exists():
        core_search.clear(KIND)


# -- reading ----------------------------------------------------------------------------


def search_parties(queryset, q, limit=None):
    """`queryset` narrowed to parties matching `q` (name, code, phone, email, IDs, address).

    Three characters or more go through the substring index; shorter input matches the
    start of the code or any part of the name. `limit` caps the index matches taken (see
    `mitra.core.search.filter_queryset`).
    """
    query = core_search.parse(q)
    if not query:
        return queryset
    if query.indexed or limit:
        # Short fragments with a cap: a LIKE over the index rows that stops at the cap.
        return core_search.filter_queryset(queryset, KIND, query, limit=limit)
    # Short fragments without a cap (the list, narrow scopes): the party's own columns,
    # scanned in the order of the list's index until a page is full.
    return queryset.filter(Q(search_name__contains=query.text) | Q(code__istartswith=query.raw))


def _starts_with(field, text):
    if connection.vendor == "mysql":
        return Q(**{f"{field}__startswith": text})
    # A range keeps to the B-tree index on SQLite and PostgreSQL (LIKE 'x%' does not).
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + TOP})


def _exact_q(query):
    """Same code, name, name key or ID (typed or as digits)."""
    raw = query.raw
    cond = Q(code__in={raw, raw.upper()}) | Q(search_name=query.text)
    if key := compact(raw):
        cond |= Q(name_key=key)
    ids = {raw, digits_only(raw)} - {""}
    return cond | Q(national_id__in=ids) | Q(tax_id__in=ids)


def _exact_contact_q(query):
    """Same phone (any reading of it) or email; None when the query is neither."""
    from .models import ContactPoint

    contact = Q()
    if query.phone_digits and (numbers := phone_candidates(query.raw)):
        contact |= Q(e164__in=numbers)
    if "@" in query.raw:
        contact |= Q(value=query.raw.lower())
    if not contact:
        return None
    return Q(pk__in=ContactPoint.objects.filter(contact).values("party_id"))


# What the top bar shows of a party; nothing else is read.
HIT_COLUMNS = (
    "id", "public_id", "code", "name", "prefix", "kind", "search_name", "priority", "is_active",
)  # fmt: skip


class Hit:
    """A party as the search results show it (a few columns, no model instance)."""

    __slots__ = (*HIT_COLUMNS, "search_tier", "city")

    def __init__(self, row):
        for name, value in zip(self.__slots__, row, strict=True):
            setattr(self, name, value)
        self.public_id = uuid.UUID(str(self.public_id))
        self.is_active = bool(self.is_active)

    @property
    def pk(self):
        return self.id

    @property
    def is_organisation(self):
        return self.kind == "organisation"

    @property
    def full_name(self):
        return (
            f"{self.prefix} {self.name}" if self.prefix and not self.is_organisation else self.name
        )

    def __repr__(self):
        return f"<Hit {self.code} {self.name}>"


def _tier_sql(queryset, order, size):
    queryset = queryset.values_list(*HIT_COLUMNS).order_by(*order)
    return queryset[:size].query.sql_with_params()


# The city of each hit, added once around the union rather than compiled into each part.
CITY_SQL = (
    "(SELECT a.city FROM {table} a WHERE a.party_id = u.id "
    "ORDER BY a.is_primary DESC, a.id LIMIT 1)"
)


def ranked(user, q, limit=10):
    """The parties `user` may see that best match `q`, best first, at most `limit` `Hit`s.

    One query: a UNION of small index-driven selections, each already scoped by the
    policy and capped: exact code/name/phone/email/ID; names and codes starting with the
    query (in index order); substrings from the trigram index (in index order). They are
    then ranked here: exact, prefix, a word of the name starting with the query, the
    name containing it, anything else (phone, email, address); higher priority first.
    """
    from .models import Party

    query = core_search.parse(q)
    if not query:
        return []
    visible = Party.objects.visible_to(user)
    size = 3 * limit
    # Users who see every party need only the first index matches; narrower scopes must
    # let the policy filter all of them (their parties may come late in the index).
    # (An index lookup is cheap to over-read; a short fragment's LIKE scan is not.)
    cap = (20 if query.indexed else 2) * size if scope_of(user) == Scope.ALL else None
    parts = [(visible.filter(_exact_q(query)), 0, (), limit)]
    if (contact := _exact_contact_q(query)) is not None:
        # Its own selection: OR-ed with the columns above it would defeat their indexes.
        parts.append((visible.filter(contact), 0, (), limit))
    parts += [
        (visible.filter(_starts_with("search_name", query.text)), 1, ("search_name", "id"), size),
    ]
    if query.raw and " " not in query.raw:
        parts.append((visible.filter(_starts_with("code", query.raw.upper())), 1, ("code",), limit))
    parts.append((search_parties(visible, query, limit=cap), 2, (), size))
    sqls, params = [], []
    for queryset, tier, order, size_ in parts:
        try:
            sql, part_params = _tier_sql(queryset, order, size_)
        except EmptyResultSet:  # no right to see parties at all
            continue
        n = len(sqls)
        sqls.append(f"SELECT t{n}.*, {int(tier)} AS search_tier FROM ({sql}) t{n}")
        params += part_params
    if not sqls:
        return []
    from .models import Address

    city = CITY_SQL.format(table=connection.ops.quote_name(Address._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT u.*, {city} FROM ({' UNION ALL '.join(sqls)}) u", params)
        rows = cursor.fetchall()
    best = {}
    for row in rows:
        hit = Hit(row)
        if hit.search_tier >= 2:
            hit.search_tier = _substring_tier(hit, query)
        if hit.pk not in best or hit.search_tier < best[hit.pk].search_tier:
            best[hit.pk] = hit
    found = sorted(best.values(), key=lambda p: (p.search_tier, -p.priority, p.search_name, p.pk))
    return found[:limit]


def _substring_tier(party, query):
    words = query.terms if not query.phone_digits else ()
    name_words = party.search_name.split(" ")
    if words and all(any(w.startswith(t) for w in name_words) for t in words):
        return 2
    if query.text and query.text in party.search_name:
        return 3
    return 4


def party_url(party):
    try:
        return reverse("parties:detail", kwargs={"public_id": party.public_id})
    except NoReverseMatch:  # the 360 page not mounted yet
        return reverse("parties:list") + "?" + urlencode({"q": party.code})


_URL_ZERO = "00000000-0000-0000-0000-000000000000"


@functools.cache
def _detail_template():
    class Zero:
        public_id = uuid.UUID(_URL_ZERO)
        code = ""

    return party_url(Zero)


def detail_url(public_id):
    """`party_url` by public id: reverse() per row costs more than a whole query."""
    return _detail_template().replace(_URL_ZERO, str(public_id))


def summaries(parties, query=None):
    """Display rows for parties: roles, the matched or primary phone/email, the city."""
    from .models import ContactPoint, PartyRole, RoleKind

    ids = [p.pk for p in parties]
    roles, points = {}, {}
    labels = dict(RoleKind.choices)
    for party_id, role in PartyRole.objects.filter(party_id__in=ids).values_list(
        "party_id", "role"
    ):
        roles.setdefault(party_id, []).append(str(labels.get(role, role)))
    digits = query.phone_digits if query else ""

    def matches(value, e164):
        if not query:
            return False
        if digits:
            return any(digits in d for d in [*phone_search_digits(e164), digits_only(value)])
        return bool(query.text) and query.text in normalize(value)

    for party_id, value, e164 in (
        ContactPoint.objects.filter(party_id__in=ids)
        .order_by("party_id", "-is_primary", "pk")
        .values_list("party_id", "value", "e164")
    ):
        current = points.get(party_id)
        matched = matches(value, e164)
        if current is None or (matched and not current[1]):
            points[party_id] = (value, matched)
    rows = []
    for party in parties:
        bits = [party.code, *roles.get(party.pk, [])]
        if party.pk in points:
            bits.append(points[party.pk][0])
        if getattr(party, "city", ""):
            bits.append(party.city)
        bits = [b for b in bits if b]
        rows.append(
            {
                "title": party.full_name,
                "subtitle": " · ".join(bits),
                # Parts shown each in its own direction: a phone in a Persian line must
                # not have its digit groups reversed.
                "details": [{"text": b, "ltr": not _RTL.search(b)} for b in bits],
                "url": detail_url(party.public_id),
                "icon": "building" if party.is_organisation else "user",
                "inactive": not party.is_active,
            }
        )
    return rows


def search_provider(user, q, limit=8):
    """The Parties group of the top-bar search."""
    from mitra.core.policy import Action, has_module_perm

    if not has_module_perm(user, "parties", Action.VIEW):
        return None
    query = core_search.parse(q)
    parties = ranked(user, q, limit=limit)
    results = summaries(parties, query)
    if apps.is_installed("mitra.activities") and has_module_perm(
        user, "interactions", Action.CREATE
    ):
        # Log a call straight from the result: the caller is usually on the line.
        quick_log = reverse("activities:quick_log")
        for party, row in zip(parties, results, strict=True):
            row["action_url"] = f"{quick_log}?{urlencode({'party': party.public_id})}"
            row["action_label"] = _("Log interaction")
    return {
        "title": _("Parties"),
        "icon": "address-book",
        "rank": min((p.search_tier for p in parties), default=50),
        "results": results,
        "more_url": reverse("parties:list") + "?" + urlencode({"q": q}),
        "more": len(parties) >= limit,
    }


_registered = False


def register():
    """Hook the index to party saves and add Parties to the top-bar search (idempotent)."""
    global _registered
    if _registered:
        return
    _registered = True
    from .models import Address, ContactPoint, Party

    core_search.register_kind(KIND)
    post_save.connect(_party_saved, sender=Party, dispatch_uid="party_search_saved")
    post_delete.connect(_party_deleted, sender=Party, dispatch_uid="party_search_deleted")
    for model in (ContactPoint, Address):
        post_save.connect(
            _child_changed, sender=model, dispatch_uid=f"party_search_{model.__name__}"
        )
        post_delete.connect(
            _child_changed, sender=model, dispatch_uid=f"party_search_{model.__name__}_del"
        )
    post_migrate.connect(_after_flush, dispatch_uid="party_search_after_flush")
    register_search(search_provider)
