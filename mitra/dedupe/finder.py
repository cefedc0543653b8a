"""The finder over the whole database (A14): a background scan fills the review queue
(`DuplicatePair`) with the pairs of parties the administrator's rules call duplicates."""

import datetime
import logging
from itertools import combinations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from rapidfuzz import fuzz

from mitra.core.policy import Action, can
from mitra.parties.duplicates import (
    EMAIL,
    NAME,
    NATIONAL_ID,
    PHONE,
    TAX_ID,
    _profiles,
    active_rules,
    evaluate,
    id_key,
)

log = logging.getLogger(__name__)

# A shared value held by more parties than this (a switchboard number, a very common name)
# says little about any two of them; such groups are skipped.
GROUP_CAP = 25
WINDOW = 8  # names compared with their neighbours in sorted order (fuzzy rules)
MAX_PAIRS = 100_000
STALE_SCAN = datetime.timedelta(hours=6)

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
    from mitra.parties.models import ContactPoint, Party

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
    from mitra.parties.models import Party

    from .models import DuplicatePair

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
    from .models import DuplicateScan

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

    from .models import DuplicateScan

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
    from .models import DuplicatePair

    return _resolve_pair(pair, DuplicatePair.Status.DISMISSED, acting_user, acting_user=acting_user)


@transaction.atomic
def reopen_pair(pair, *, acting_user):
    from .models import DuplicatePair

    return _resolve_pair(pair, DuplicatePair.Status.OPEN, None, acting_user=acting_user)


def _resolve_pair(pair, status, resolved_by, *, acting_user):
    """Set a pair's status, resolved by `resolved_by` now (None: unresolved); only someone
    who may edit both parties may."""
    if not (
        can(acting_user, Action.EDIT, pair.party_a) and can(acting_user, Action.EDIT, pair.party_b)
    ):
        raise PermissionDenied
    pair.status = status
    pair.resolved_by = resolved_by
    pair.resolved_at = timezone.now() if resolved_by else None
    pair.save(update_fields=["status", "resolved_by", "resolved_at", "updated_at"])
    return pair
