"""Caller ID: who is calling, from a number in whatever shape the exchange sends it.

Numbers arrive as "0812345678", "812345678", "66812345678", "+66 81 234 5678", or
typed with Thai or Persian digits. `mitra.core.text.phone_candidates` turns one into
every E.164 number it may stand for (as written, or local in the configured countries,
which is how a national significant number without its country code is matched), and
each candidate is an equality on the indexed `ContactPoint.e164`. Telephony builds on
`lookup()`; the JSON endpoint serves softphones and browser screen-pops.
"""

import uuid

from django.core.exceptions import EmptyResultSet
from django.db import connection

from mitra.core.policy import Action, Scope, has_module_perm, scope_of
from mitra.core.text import phone_candidates, phone_regions

from .models import ContactPoint, Party, RoleKind
from .search import detail_url

LIMIT = 10


def candidates(number, region=None):
    regions = phone_regions()
    if region:
        regions = [region.upper(), *[r for r in regions if r != region.upper()]]
    return phone_candidates(number, regions)


def lookup(user, number, region=None, limit=LIMIT):
    """The parties `user` may see with a phone matching `number`, as short summaries.

    Each summary: public_id, code, name, kind, stage, is_active, priority, roles (values
    and labels), the matched number (as stored, its E.164, label and kind) and the 360
    page's `url`. One indexed query (the E.164 index, then the party by primary key).
    """
    numbers = candidates(number, region)
    if not numbers:
        return []
    rows = _rows(user, numbers, limit)
    parties = {}
    for (
        pk,
        public_id,
        code,
        name,
        kind,
        stage,
        active,
        priority,
        value,
        e164,
        label,
        cp_kind,
        role,
    ) in rows:
        party = parties.get(pk)
        if party is None:
            if len(parties) >= limit:
                continue
            public_id = uuid.UUID(str(public_id))  # SQLite and MySQL give it as text
            party = parties[pk] = {
                "public_id": str(public_id),
                "code": code,
                "name": name,
                "kind": kind,
                "stage": stage,
                "is_active": bool(active),
                "priority": priority,
                "roles": [],
                "matched": {"value": value, "e164": e164, "label": label, "kind": cp_kind},
                "url": detail_url(public_id),
            }
        if role and role not in party["roles"]:
            party["roles"].append(role)
    if not parties:
        return []
    role_labels, kind_labels = dict(RoleKind.choices), dict(ContactPoint.Kind.choices)
    for party in parties.values():
        party["roles"].sort()
        party["role_labels"] = [str(role_labels.get(r, r)) for r in party["roles"]]
        party["matched"]["kind_label"] = str(kind_labels.get(party["matched"]["kind"], ""))
    return list(parties.values())


COLUMNS = (
    "pk", "public_id", "code", "name", "kind", "stage", "is_active", "priority",
    "contact_points__value", "contact_points__e164", "contact_points__label",
    "contact_points__kind", "roles__role",
)  # fmt: skip
# Compiled SQL of the lookup for users who see every party: the same for all of them.
_shared_sql = {}


def _rows(user, numbers, limit):
    """The joined rows for `numbers`, from SQL compiled once per shape.

    Building and compiling the queryset costs several times the indexed query itself, so
    the SQL is kept: shared for users who see all parties, on the user object otherwise
    (their scope is in it and lives as long as the request).
    """
    key = (len(numbers), limit)
    if scope_of(user) == Scope.ALL and has_module_perm(user, "parties", Action.VIEW):
        cache = _shared_sql
    else:
        cache = user.__dict__.setdefault("_callerid_sql", {})
    entry = cache.get(key)
    if entry is None:
        sentinels = [f"\x00callerid{i}" for i in range(len(numbers))]
        queryset = (
            Party.objects.visible_to(user)
            .filter(contact_points__e164__in=sentinels)
            .order_by("-priority", "search_name", "pk")
            .values_list(*COLUMNS)[: limit * 8]
        )
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # no right to see parties
            entry = cache[key] = None
        else:
            entry = cache[key] = (sql, list(params), [params.index(s) for s in sentinels])
    if entry is None:
        return []
    sql, params, positions = entry
    params = list(params)
    for position, value in zip(positions, numbers, strict=True):
        params[position] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
