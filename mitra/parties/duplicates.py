"""Duplicate parties (A14): comparing two parties and the check on create and import.

What counts as a duplicate is set by an administrator as rules (every field of a rule must
match). The rules, the finder over the whole database, the review queue and merge live in
`mitra.dedupe`, which depends on parties, never the other way round: it hands its rules in
through `register_rules()` (no rules registered: nothing is a duplicate). Values are compared normalised: names with
`mitra.core.text` (Persian/Arabic letters, ZWNJ, Thai, digits, case, spacing) and fuzzily
with rapidfuzz, phones as E.164, emails without case, IDs without punctuation.

- `find_duplicates()` answers the create form (and imports) from indexed lookups.
- `mitra.dedupe.finder` fills the review queue; `mitra.dedupe.merge` merges two parties.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rapidfuzz import fuzz

from mitra.core import search as core_search
from mitra.core.text import compact, normalize, normalize_phone


class Field(models.TextChoices):
    """What a duplicate rule can compare."""

    NAME = "name", _l("Name")
    PHONE = "phone", _l("Phone")
    EMAIL = "email", _l("Email")
    NATIONAL_ID = "national_id", _l("National ID")
    TAX_ID = "tax_id", _l("Tax ID")


NAME, PHONE, EMAIL, NATIONAL_ID, TAX_ID = Field.values
LIMIT = 10


# -- comparing ----------------------------------------------------------------------------


def id_key(value):
    """An ID without spaces, dashes or dots, in Latin digits: "1-2345-67890-12-3" → 1234567890123."""
    return compact(value or "")


def name_similarity(a, b):
    """0–100: how alike two normalised names are (word order and spacing do not count)."""
    if not a or not b:
        return 0
    if a == b:
        return 100
    spaced = fuzz.token_sort_ratio(a, b)
    joined = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return int(round(max(spaced, joined)))


@dataclass
class Profile:
    """What the rules compare of one party (or of one about to be created)."""

    pk: int | None = None
    name: str = ""  # normalised
    phones: set = field(default_factory=set)
    emails: set = field(default_factory=set)
    national_id: str = ""
    tax_id: str = ""


def make_profile(*, name="", phones=(), emails=(), national_id="", tax_id="", pk=None):
    return Profile(
        pk=pk,
        name=normalize(name),
        phones={e for e in (normalize_phone(p) for p in phones or () if p) if e},
        emails={m.strip().lower() for m in emails or () if m and m.strip()},
        national_id=id_key(national_id),
        tax_id=id_key(tax_id),
    )


def _rule_match(rule, a, b):
    """(score, found) when every field of `rule` matches the two profiles, else None;
    `found` maps each field to what matched (the shared value, or the name similarity)."""
    scores, found = [], {}
    for name in rule.fields:
        if name == NAME:
            similarity = name_similarity(a.name, b.name)
            if similarity < rule.name_similarity:
                return None
            scores.append(similarity)
            found[NAME] = str(similarity)
        elif name in (PHONE, EMAIL):
            common = (a.phones & b.phones) if name == PHONE else (a.emails & b.emails)
            if not common:
                return None
            scores.append(100)
            found[name] = sorted(common)[0]
        elif name in (NATIONAL_ID, TAX_ID):
            value = getattr(a, name)
            if not value or value != getattr(b, name):
                return None
            scores.append(100)
            found[name] = getattr(b, name)
        else:  # a field this version does not know: the rule cannot match
            return None
    if not scores:
        return None
    return round(sum(scores) / len(scores)), found


def evaluate(rules, a, b):
    """(score, reasons) when any rule matches the two profiles, else None.

    A rule's score is the mean of its fields' scores (exact fields 100, the name its
    similarity); the pair's score is its best rule's; reasons gather every matched field.
    """
    best, reasons = None, {}
    for rule in rules:
        match = _rule_match(rule, a, b)
        if match is None:
            continue
        score, found = match
        best = max(best or 0, score)
        reasons.update(found)
    if best is None:
        return None
    order = [NATIONAL_ID, TAX_ID, PHONE, EMAIL, NAME]
    return best, [{"field": f, "detail": reasons[f]} for f in order if f in reasons]


def rule_matches(rules, a, b):
    """Which rules call the two profiles duplicates, for the screen: a list of
    {"rule": its name, "values": [(field label, matching value), …]}."""
    labels = dict(Field.choices)
    out = []
    for rule in rules:
        match = _rule_match(rule, a, b)
        if match is None:
            continue
        values = []
        for name in rule.fields:
            detail = match[1][name]
            if name == NAME:
                detail = _("%(percent)s%% alike") % {"percent": detail}
            values.append((labels.get(name, name), detail))
        out.append({"rule": str(rule), "values": values})
    return out


_rules_provider = None


def register_rules(provider):
    """`provider()` returns the active rules (objects with `fields`, `name_similarity`)."""
    global _rules_provider
    _rules_provider = provider


def active_rules():
    return [r for r in _rules_provider() if r.fields] if _rules_provider else []


def reason_labels(reasons):
    labels = dict(Field.choices)
    out = []
    for r in reasons:
        detail = f"{r['detail']}%" if r["field"] == NAME else r["detail"]
        out.append(f"{labels.get(r['field'], r['field'])}: {detail}")
    return out


# -- on create ------------------------------------------------------------------------------


def _profiles(ids, parties=None):
    """Profiles of these parties (of `parties`, a queryset, when given): two queries."""
    from .models import ContactPoint, Party

    parties = Party.all_objects.all() if parties is None else parties
    profiles = {
        pk: Profile(pk=pk, name=search_name, national_id=id_key(nid), tax_id=id_key(tid))
        for pk, search_name, nid, tid in parties.filter(pk__in=ids).values_list(
            "pk", "search_name", "national_id", "tax_id"
        )
    }
    if not profiles:
        return profiles
    points = ContactPoint.objects.filter(party_id__in=list(profiles)).filter(
        ~Q(e164="") | Q(kind=ContactPoint.Kind.EMAIL)
    )
    for party_id, kind, value, e164 in points.values_list("party_id", "kind", "value", "e164"):
        profile = profiles[party_id]
        if e164:
            profile.phones.add(e164)
        elif kind == ContactPoint.Kind.EMAIL:
            profile.emails.add(value.strip().lower())
    return profiles


def _candidate_ids(profile, fields, fuzzy):
    """Ids of parties that share something with `profile` that the rules look at: at
    most three queries (contact points, exact columns, the substring index)."""
    from .models import ContactPoint, Party
    from .search import KIND

    ids = set()
    contact = Q()
    if PHONE in fields and profile.phones:
        contact |= Q(e164__in=profile.phones)
    if EMAIL in fields and profile.emails:
        contact |= Q(kind=ContactPoint.Kind.EMAIL, value__in=profile.emails)
    if contact:
        ids.update(ContactPoint.objects.filter(contact).values_list("party_id", flat=True)[:500])
    exact, fragments = Q(), []
    if NAME in fields and profile.name:
        exact |= Q(name_key=compact(profile.name))
    for name in (NATIONAL_ID, TAX_ID):
        if name in fields and getattr(profile, name):
            exact |= Q(**{name: getattr(profile, name)})
            # Stored as typed ("1-2345-…"): the search index holds every ID's bare form.
            fragments.append(getattr(profile, name))
    if exact:
        ids.update(Party.all_objects.filter(exact).values_list("pk", flat=True)[:500])
    if fuzzy and profile.name:
        # Names a few letters apart share most of their words' trigrams: look each
        # longer word up in the substring index and let rapidfuzz judge.
        words = sorted((w for w in profile.name.split(" ") if len(w) >= 3), key=len, reverse=True)
        fragments += words[:3]
    if fragments:
        ids.update(core_search.matching_ids_any(KIND, fragments, limit_each=200))
    return ids


def find_duplicates(
    user, *, name="", phones=(), emails=(), national_id="", tax_id="", exclude_pk=None
):
    """Parties `user` may see that the active rules call duplicates of the one described.

    At most 10, best first; each carries `duplicate_score` (0–100), `duplicate_reasons`
    (field/detail dicts), `duplicate_reason_labels` (words for the screen) and
    `duplicate_rules` (which rules matched, on what values: `rule_matches`).
    """
    from .models import Party

    rules = active_rules()
    if not rules:
        return []
    fields = {f for r in rules for f in r.fields}
    fuzzy = any(NAME in r.fields and r.name_similarity < 100 for r in rules)
    profile = make_profile(
        name=name, phones=phones, emails=emails, national_id=national_id, tax_id=tax_id
    )
    ids = _candidate_ids(profile, fields, fuzzy)
    ids.discard(exclude_pk)
    if not ids:
        return []
    scored, others = {}, {}
    for pk, other in _profiles(ids, Party.objects.visible_to(user)).items():
        result = evaluate(rules, profile, other)
        if result:
            scored[pk], others[pk] = result, other
    if not scored:
        return []
    best = sorted(scored, key=lambda pk: -scored[pk][0])[: 3 * LIMIT]
    parties = list(Party.objects.filter(pk__in=best))
    parties.sort(key=lambda p: (-scored[p.pk][0], -p.priority, p.search_name, p.pk))
    for party in parties:
        party.duplicate_score, party.duplicate_reasons = scored[party.pk]
        party.duplicate_reason_labels = reason_labels(party.duplicate_reasons)
        party.duplicate_rules = rule_matches(rules, profile, others[party.pk])
    return parties[:LIMIT]


def duplicates_of(user, party):
    """`find_duplicates` for an existing party (the 360 page, imports updating a row)."""
    from .models import ContactPoint

    points = list(party.contact_points.values_list("kind", "value", "e164"))
    return find_duplicates(
        user,
        name=party.name,
        phones=[e164 or value for kind, value, e164 in points if kind in ContactPoint.PHONE_KINDS],
        emails=[value for kind, value, _e in points if kind == ContactPoint.Kind.EMAIL],
        national_id=party.national_id,
        tax_id=party.tax_id,
        exclude_pk=party.pk,
    )
