"""Duplicate parties (A14): the check on create, the finder over the whole database, merge.

What counts as a duplicate is set by an administrator as rules (`DuplicateRule`: every
field of a rule must match). Values are compared normalised: names with
`mitra.core.text` (Persian/Arabic letters, ZWNJ, Thai, digits, case, spacing) and fuzzily
with rapidfuzz, phones as E.164, emails without case, IDs without punctuation.

- `find_duplicates()` answers the create form (and imports) from indexed lookups.
- `scan_for_duplicates` (a background task) fills the review queue (`DuplicatePair`).
- `merge_parties()` keeps one party, takes chosen field values from the other, moves
  every row that points at it (whatever app it belongs to) and trashes or deletes it.
"""

import datetime
import logging
from dataclasses import dataclass, field
from itertools import combinations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from rapidfuzz import fuzz

from mitra.core import search as core_search
from mitra.core.approvals.engine import move_requests
from mitra.core.policy import Action, can
from mitra.core.text import compact, normalize, normalize_phone

log = logging.getLogger(__name__)

NAME, PHONE, EMAIL, NATIONAL_ID, TAX_ID = "name", "phone", "email", "national_id", "tax_id"
LIMIT = 10
# The finder: a shared value held by more parties than this (a switchboard number, a
# very common name) says little about any two of them; such groups are skipped.
GROUP_CAP = 25
WINDOW = 8  # names compared with their neighbours in sorted order (fuzzy rules)
MAX_PAIRS = 100_000
STALE_SCAN = datetime.timedelta(hours=6)


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
    from mitra.dedupe.models import Field

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


def active_rules():
    from mitra.dedupe.models import DuplicateRule

    return [r for r in DuplicateRule.objects.active() if r.fields]


def reason_labels(reasons):
    from mitra.dedupe.models import Field

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


# -- the finder over the whole database -------------------------------------------------------


def _groups(rows):
    """Consecutive (key, id) rows with the same key → lists of ids (rows sorted by key)."""
    key, members = None, []
    for k, pk in rows:
        if k != key:
            if len(members) > 1:
                yield members
            key, members = k, []
        if not members or members[-1] != pk:
            members.append(pk)
    if len(members) > 1:
        yield members


def _pairs_from_groups(groups, stats):
    for members in groups:
        members = sorted(set(members))
        if len(members) > GROUP_CAP:
            stats["skipped_groups"] += 1
            continue
        yield from combinations(members, 2)


def _candidate_pairs(rules, stats):
    """Pairs worth comparing: parties sharing the most telling field of some rule."""
    from .models import ContactPoint, Party

    blocking = set()
    for rule in rules:
        for name in (NATIONAL_ID, TAX_ID, PHONE, EMAIL, NAME):
            if name in rule.fields:
                blocking.add((name, rule.name_similarity if name == NAME else 100))
                break
    pairs = set()
    for name, similarity in sorted(blocking):
        if name == PHONE:
            rows = (
                ContactPoint.objects.exclude(e164="")
                .order_by("e164", "party_id")
                .values_list("e164", "party_id")
            )
            pairs.update(_pairs_from_groups(_groups(rows.iterator(chunk_size=5000)), stats))
        elif name == EMAIL:
            rows = (
                ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL)
                .order_by("value", "party_id")
                .values_list("value", "party_id")
            )
            lowered = ((v.lower(), pk) for v, pk in rows.iterator(chunk_size=5000))
            pairs.update(_pairs_from_groups(_groups(lowered), stats))
        elif name in (NATIONAL_ID, TAX_ID):
            keyed = {}
            rows = Party.objects.exclude(**{name: ""}).values_list(name, "pk")
            for value, pk in rows.iterator(chunk_size=5000):
                if key := id_key(value):
                    keyed.setdefault(key, []).append(pk)
            pairs.update(_pairs_from_groups(keyed.values(), stats))
        elif name == NAME:
            rows = Party.objects.exclude(name_key="").order_by("name_key", "pk")
            rows = rows.values_list("name_key", "pk").iterator(chunk_size=5000)
            if similarity >= 100:
                pairs.update(_pairs_from_groups(_groups(rows), stats))
            else:
                pairs.update(_neighbours(rows, similarity, stats))
        if len(pairs) > MAX_PAIRS:
            stats["truncated"] = True
            break
    return pairs


def _neighbours(rows, similarity, stats):
    """Sorted-neighbourhood blocking: each name against the next few in sorted order."""
    window = []  # (key, pk)
    same, same_key = [], None
    for key, pk in rows:
        if key == same_key:
            same.append(pk)
            continue
        # A run of identical names is one exact group (capped like the others).
        if len(same) > 1:
            yield from _pairs_from_groups([same], stats)
        same, same_key = [pk], key
        for other_key, other_pk in window:
            if fuzz.ratio(key, other_key) >= similarity - 10:
                yield (min(pk, other_pk), max(pk, other_pk))
        window.append((key, pk))
        if len(window) > WINDOW:
            window.pop(0)
    if len(same) > 1:
        yield from _pairs_from_groups([same], stats)


def find_all_duplicates(scan=None):
    """Compare the whole database with the active rules and refresh the review queue.

    New pairs are added, open ones rescored, dismissed and merged ones left alone, and
    open pairs no longer matching removed. Returns the number of pairs found.
    """
    from mitra.dedupe.models import DuplicatePair

    from .models import Party

    rules = active_rules()
    stats = {"skipped_groups": 0, "truncated": False}
    pairs = _candidate_pairs(rules, stats) if rules else set()
    found = {}
    ordered = sorted(pairs)
    for start in range(0, len(ordered), 2000):
        chunk = ordered[start : start + 2000]
        profiles = _profiles({pk for pair in chunk for pk in pair})
        for a, b in chunk:
            if a in profiles and b in profiles:
                result = evaluate(rules, profiles[a], profiles[b])
                if result:
                    found[(a, b)] = result
    alive = set(
        Party.objects.filter(pk__in={pk for pair in found for pk in pair}).values_list(
            "pk", flat=True
        )
    )
    found = {k: v for k, v in found.items() if k[0] in alive and k[1] in alive}
    with transaction.atomic():
        existing = {
            (p.party_a_id, p.party_b_id): p
            for p in DuplicatePair.objects.filter(party_a_id__in={a for a, _b in found}).only(
                "pk", "party_a_id", "party_b_id", "status", "score", "reasons"
            )
        }
        new, changed = [], []
        for (a, b), (score, reasons) in found.items():
            pair = existing.get((a, b))
            if pair is None:
                new.append(
                    DuplicatePair(
                        party_a_id=a, party_b_id=b, score=score, reasons=reasons, scan=scan
                    )
                )
            elif pair.status == DuplicatePair.Status.OPEN:
                pair.score, pair.reasons, pair.scan = score, reasons, scan
                changed.append(pair)
        DuplicatePair.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        DuplicatePair.objects.bulk_update(changed, ["score", "reasons", "scan"], batch_size=1000)
        # Open pairs the rules no longer call duplicates leave the queue.
        stale = [
            pk
            for pk, a, b in DuplicatePair.objects.open().values_list(
                "pk", "party_a_id", "party_b_id"
            )
            if (a, b) not in found
        ]
        for start in range(0, len(stale), 1000):
            DuplicatePair.objects.filter(pk__in=stale[start : start + 1000]).delete()
    if scan is not None:
        scan.parties = Party.objects.count()
        scan.found = len(found)
        if stats["skipped_groups"] or stats["truncated"]:
            scan.error = _(
                "%(groups)s groups of more than %(cap)s parties sharing one value were skipped."
            ) % {"groups": stats["skipped_groups"], "cap": GROUP_CAP}
            if stats["truncated"]:
                scan.error += " " + _("The comparison stopped at %(max)s pairs.") % {
                    "max": MAX_PAIRS
                }
    return len(found)


@task()
def scan_for_duplicates(scan_id):
    """Background task: run the duplicate finder and record how it went on the scan."""
    from mitra.dedupe.models import DuplicateScan

    scan = DuplicateScan.objects.get(pk=scan_id)
    scan.status, scan.started_at = DuplicateScan.Status.RUNNING, timezone.now()
    scan.save(update_fields=["status", "started_at", "updated_at"])
    try:
        find_all_duplicates(scan)
    except Exception as exc:
        log.exception("duplicate scan %s failed", scan_id)
        scan.status, scan.error = DuplicateScan.Status.FAILED, str(exc)[:2000]
    else:
        scan.status = DuplicateScan.Status.DONE
    scan.finished_at = timezone.now()
    scan.save()
    return {"found": scan.found, "status": scan.status}


def start_scan(*, acting_user):
    """Queue a scan (one at a time); returns the queued or already running scan."""
    from mitra.core.policy import has_module_perm
    from mitra.dedupe.models import DuplicateScan

    if not has_module_perm(acting_user, "duplicate_rules", Action.EDIT):
        raise PermissionDenied
    waiting = DuplicateScan.objects.filter(
        status__in=[DuplicateScan.Status.QUEUED, DuplicateScan.Status.RUNNING]
    )
    # A scan whose worker died never finishes: after a while it no longer blocks a new one.
    waiting.filter(created_at__lt=timezone.now() - STALE_SCAN).update(
        status=DuplicateScan.Status.FAILED, error=_("No worker finished this search.")
    )
    running = waiting.first()
    if running:
        return running
    scan = DuplicateScan.objects.create(requested_by=acting_user)
    transaction.on_commit(lambda: scan_for_duplicates.enqueue(scan.pk))
    return scan


@transaction.atomic
def dismiss_pair(pair, *, acting_user):
    """Mark two parties as not duplicates: the finder will not propose them again."""
    if not (
        can(acting_user, Action.EDIT, pair.party_a) and can(acting_user, Action.EDIT, pair.party_b)
    ):
        raise PermissionDenied
    from mitra.dedupe.models import DuplicatePair

    pair.status = DuplicatePair.Status.DISMISSED
    pair.resolved_by, pair.resolved_at = acting_user, timezone.now()
    pair.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return pair


@transaction.atomic
def reopen_pair(pair, *, acting_user):
    from mitra.dedupe.models import DuplicatePair

    if not (
        can(acting_user, Action.EDIT, pair.party_a) and can(acting_user, Action.EDIT, pair.party_b)
    ):
        raise PermissionDenied
    pair.status, pair.resolved_by, pair.resolved_at = DuplicatePair.Status.OPEN, None, None
    pair.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return pair


# -- merge ------------------------------------------------------------------------------------

# Party columns that are not the user's to pick: keys, bookkeeping, derived values.
NOT_MERGED = {
    "id", "public_id", "created_at", "updated_at", "search_name", "name_key", "deleted_at",
    "deleted_by",
}  # fmt: skip


def merge_fields():
    """The Party fields a merge lets the user pick, in form order."""
    from .models import Party

    return [
        f
        for f in Party._meta.concrete_fields
        if f.name not in NOT_MERGED and not f.auto_created and (f.editable or f.name == "rating")
    ]


def _is_history_model(model):
    return hasattr(model, "instance_type") and hasattr(model, "history_object")


def _reverse_relations():
    """Every FK/one-to-one from any installed model to Party, hidden ones included
    (auto-created many-to-many tables), except history tables and the duplicate
    queue itself."""
    from mitra.dedupe.models import DuplicatePair, Merge

    from .models import Party

    skip = {DuplicatePair, Merge}
    rels = []
    for rel in Party._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if model in skip or _is_history_model(model):
            continue
        rels.append(rel)
    return rels


def related_counts(party):
    """{verbose name plural: count} of the rows pointing at `party` (the merge screen)."""
    counts = {}
    for rel in _reverse_relations():
        model = rel.related_model
        n = model._base_manager.filter(**{rel.field.name: party}).count()
        if n:
            meta = model._meta
            if meta.auto_created:  # a many-to-many table: name it by the field
                label = _many_to_many_label(model)
            else:
                label = str(meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + n
    return counts


def _many_to_many_label(through):
    from .models import Party

    for f in Party._meta.many_to_many:
        if f.remote_field.through is through:
            return str(f.verbose_name)
    return str(through._meta.verbose_name_plural)


def _party_fks(model):
    from .models import Party

    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Party]


def _move_rows(rel, survivor, loser):
    """Point `rel`'s rows at the survivor; rows the survivor already has (a unique
    constraint says so) or that would point a party at itself are deleted."""
    model, fk = rel.related_model, rel.field
    manager = model._base_manager
    rows = manager.filter(**{fk.name: loser})
    if rel.one_to_one:
        if manager.filter(**{fk.name: survivor}).exists():
            return 0, rows.delete()[0]
        return rows.update(**{fk.attname: survivor.pk}), 0
    moved = dropped = 0
    try:
        with transaction.atomic():
            moved = rows.update(**{fk.attname: survivor.pk})
    except IntegrityError:
        moved = 0
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{fk.attname: survivor.pk})
            except IntegrityError:
                manager.filter(pk=pk).delete()
                dropped += 1
    others = [f for f in _party_fks(model) if f is not fk]
    if others:
        # A relationship or contact between the two merged parties now joins the
        # survivor to itself: it means nothing any more.
        selfish = manager.filter(**{fk.attname: survivor.pk}).filter(
            **{f.attname: survivor.pk for f in others}
        )
        n = selfish.delete()[0]
        moved, dropped = moved - n, dropped + n
    return moved, dropped


@transaction.atomic
def merge_parties(survivor, loser, *, acting_user, take=(), delete_loser=False):
    """Merge `loser` into `survivor` and return the `Merge` record.

    `take`: names of fields (see `merge_fields()`) whose value comes from the loser; the
    rest keep the survivor's. Every row of any app pointing at the loser moves to the
    survivor, many-to-many links are united, the survivor's history records the merge,
    and the loser goes to the trash (or, with `delete_loser` and the right, is deleted).
    """
    from mitra.core.events import Event, record_event
    from mitra.dedupe.models import DuplicatePair, Merge

    from . import search
    from .models import Party

    if survivor.pk == loser.pk:
        raise ValidationError(_("A party cannot be merged with itself."))
    if not can(acting_user, Action.EDIT, survivor) or not can(acting_user, Action.DELETE, loser):
        raise PermissionDenied
    if delete_loser and not can(acting_user, Action.PURGE, loser):
        raise PermissionDenied
    # Lock both rows so two people merging at once cannot interleave.
    locked = {
        p.pk: p
        for p in Party.all_objects.select_for_update().filter(pk__in=[survivor.pk, loser.pk])
    }
    if len(locked) != 2 or locked[loser.pk].deleted_at is not None:
        raise ValidationError(_("One of the parties is no longer available."))
    survivor, loser = locked[survivor.pk], locked[loser.pk]
    fields = {f.name: f for f in merge_fields()}
    unknown = set(take) - set(fields)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    taken = [name for name in fields if name in take]

    loser_code, loser_name = loser.code, loser.name
    with search.batch():
        if "code" in taken:
            # Codes are unique across the trash too: the loser gives its code up first.
            loser.code = f"{loser_code[:20]}-M{loser.pk}"
            Party.all_objects.filter(pk=loser.pk).update(code=loser.code)
            survivor.code = loser_code
        for name in taken:
            if name != "code":
                setattr(survivor, fields[name].attname, getattr(loser, fields[name].attname))

        moved = {}
        for rel in _reverse_relations():
            n, _dropped = _move_rows(rel, survivor, loser)
            if n:
                label = rel.related_model._meta.label
                moved[label] = moved.get(label, 0) + n
        move_requests(Party, loser.pk, survivor.pk)  # edit approvals (A17) follow the party

        note = _("Merged with %(code)s %(name)s") % {"code": loser_code, "name": loser_name}
        survivor._history_user = acting_user
        survivor._change_reason = note
        survivor.save()

        merge = Merge.objects.create(
            survivor=survivor,
            loser=None if delete_loser else loser,
            loser_code=loser_code,
            loser_name=loser_name,
            loser_deleted=delete_loser,
            fields_taken=taken,
            moved=moved,
            merged_by=acting_user,
        )
        record_event(
            "party.merged",
            survivor,
            acting_user=acting_user,
            payload={"merged": str(loser.public_id), "code": loser_code, "fields": taken},
        )
        Event.objects.filter(party_pk=loser.pk).update(party_pk=survivor.pk)  # its timeline too
        pairs = DuplicatePair.objects.filter(
            Q(party_a=survivor, party_b=loser) | Q(party_a=loser, party_b=survivor)
        )
        pairs.update(
            status=DuplicatePair.Status.MERGED,
            resolved_by=acting_user,
            resolved_at=timezone.now(),
        )
        # Other open pairs of the merged party: the next scan proposes them again for
        # the survivor if they still apply.
        DuplicatePair.objects.involving(loser).exclude(status=DuplicatePair.Status.MERGED).delete()

        loser._history_user = acting_user
        loser._change_reason = _("Merged into %(code)s %(name)s") % {
            "code": survivor.code,
            "name": survivor.name,
        }
        if delete_loser:
            loser.delete()
        else:
            loser.deleted_at, loser.deleted_by = timezone.now(), acting_user
            loser.is_active = False
            loser.save(update_fields=["deleted_at", "deleted_by", "is_active", "updated_at"])
        search.touch(survivor.pk)
    return merge


def _field_value(party, f):
    value = getattr(party, f.name)
    if isinstance(f, models.ForeignKey):
        return value
    if f.choices:
        return getattr(party, f"get_{f.name}_display")()
    return value


def merge_rows(survivor, loser):
    """(field, survivor's value, loser's value, differ?) for the merge screen."""
    rows = []
    for f in merge_fields():
        a, b = getattr(survivor, f.attname), getattr(loser, f.attname)
        rows.append(
            {
                "name": f.name,
                "label": f.verbose_name,
                "survivor": _field_value(survivor, f),
                "loser": _field_value(loser, f),
                "differ": a != b and b not in (None, ""),
                "empty": a in (None, "") and b not in (None, ""),
            }
        )
    return rows
