"""Caller ID: who is calling, from a number in whatever shape the exchange sends it.

Numbers arrive as "0812345678", "812345678", "66812345678", "+66 81 234 5678", or
typed with Thai or Persian digits. `mitra.core.text.phone_candidates` turns one into
every E.164 number it may stand for (as written, or local in the configured countries,
which is how a national significant number without its country code is matched), and
each candidate is an equality on the indexed `ContactPoint.e164`. Telephony builds on
`lookup()`; the JSON endpoint serves softphones and browser screen-pops.
"""

from mitra.core.text import phone_candidates, phone_regions

from .models import ContactPoint, Party, PartyRole, RoleKind

LIMIT = 10


def candidates(number, region=None):
    regions = phone_regions()
    if region:
        regions = [region.upper(), *[r for r in regions if r != region.upper()]]
    return phone_candidates(number, regions)


def lookup(user, number, region=None, limit=LIMIT):
    """The parties `user` may see with a phone matching `number`, as short summaries.

    Each summary: public_id, code, name, kind, stage, is_active, priority, roles, the
    matched number (as stored, its E.164 and label) and the 360 page's URL (`url`).
    Two queries: the matching parties, then their roles.
    """
    numbers = candidates(number, region)
    if not numbers:
        return []
    rows = list(
        Party.objects.visible_to(user)
        .filter(contact_points__e164__in=numbers)
        .order_by("-priority", "search_name", "pk")
        .values(
            "pk", "public_id", "code", "name", "prefix", "kind", "stage", "is_active",
            "priority", "contact_points__value", "contact_points__e164",
            "contact_points__label", "contact_points__kind",
        )[: limit * 3]
    )  # fmt: skip
    parties = {}
    for row in rows:
        if row["pk"] not in parties and len(parties) < limit:
            parties[row["pk"]] = row
    if not parties:
        return []
    roles = {}
    labels = dict(RoleKind.choices)
    for party_id, role in PartyRole.objects.filter(party_id__in=list(parties)).values_list(
        "party_id", "role"
    ):
        roles.setdefault(party_id, []).append(role)
    kinds = dict(ContactPoint.Kind.choices)
    from .search import party_url

    return [
        {
            "public_id": str(row["public_id"]),
            "code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "stage": row["stage"],
            "is_active": row["is_active"],
            "priority": row["priority"],
            "roles": roles.get(pk, []),
            "role_labels": [str(labels.get(r, r)) for r in roles.get(pk, [])],
            "matched": {
                "value": row["contact_points__value"],
                "e164": row["contact_points__e164"],
                "label": row["contact_points__label"],
                "kind": row["contact_points__kind"],
                "kind_label": str(kinds.get(row["contact_points__kind"], "")),
            },
            "url": party_url(_UrlParty(row["public_id"], row["code"])),
        }
        for pk, row in parties.items()
    ]


class _UrlParty:
    """Just enough of a party for `party_url`."""

    def __init__(self, public_id, code):
        self.public_id, self.code = public_id, code
