"""The approval engine: a new approval is a rule.

An app registers a *kind* of request (`register_kind(ApprovalKind(...))`): the record model,
the module whose approve right counts, the conditions a rule may choose from, and what to do
when approved (`apply`). Its actions ask `rule_for(kind, record, user, payload)` whether a
change needs approval and, if so, `submit(...)` it instead of saving. Approvers decide with
`decide(...)` (from the app or from an emailed signed link); the last approval calls the
kind's `apply`. Deciding after the record changed is refused (`stale_reasons`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..events import record_event
from ..policy import Action, Level, has_module_perm, is_visible
from ..workflow import transition
from .models import ApprovalLevel, ApprovalRequest, ApprovalRule, ApprovalTask, Delegation

Status = ApprovalRequest.Status
TaskStatus = ApprovalTask.Status

SALT = "mitra.approvals.link"
LINK_MAX_AGE = 7 * 24 * 3600  # seconds an emailed link stays valid


@dataclass
class ApprovalKind:
    key: str
    label: object
    model: type
    module: str  # whose approve right the built-in rule asks for
    # condition key -> (label, callable(record, user, payload, rule) -> bool)
    conditions: dict = field(default_factory=dict)
    default_condition: str = ""  # used (with the built-in level) while no rule is configured
    apply: object = None  # callable(request, acting_user): the approved change happens
    on_reject: object = None  # callable(request, acting_user)
    stale: object = None  # callable(record, request) -> [labels] changed since; None: version
    rows: object = None  # callable(request) -> [(label, old, new)]
    url: object = None  # callable(request) -> the record's page


_kinds: dict[str, ApprovalKind] = {}


def register_kind(kind):
    _kinds[kind.key] = kind
    return kind


def get_kind(key):
    return _kinds.get(key)


def kinds():
    return list(_kinds.values())


_mailers = []


def sees_approvals(user):
    """Whether the sidebar offers Approvals to `user`, from the role alone (no query, every
    page asks): who may approve some kind's record, whose edits need approval, who
    configures the rules. A user named on a rule without the right finds it from the task
    or the emailed link."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or has_module_perm(user, "configuration", Action.EDIT):
        return True
    role = getattr(user, "role", None)
    if role is not None and getattr(role, "edits_need_approval", False):
        return True
    return any(has_module_perm(user, k.module, Action.APPROVE) for k in _kinds.values())


def register_mailer(func):
    """`func(to=, subject=, body=)` queues an email (the mail app registers its outbox)."""
    if func not in _mailers:
        _mailers.append(func)
    return func


# -- which rule applies ------------------------------------------------------------------------


class BuiltInRule:
    """The rule a kind has before an administrator configures one: its default condition,
    one level of team leads/executives with the approve right (any one of them)."""

    pk = None
    name = _("built-in")

    def __init__(self, kind):
        self.condition = kind.default_condition
        self.threshold = None

    def level_specs(self):
        return [ApprovalLevel(order=1, mode=ApprovalLevel.Mode.ANY, approvers_with_right=True)]


def rule_for(kind_key, record, user, payload=None):
    """The first active rule of `kind_key` whose condition holds, else None (no approval)."""
    kind = _kinds[kind_key]
    rules = list(ApprovalRule.objects.filter(kind=kind_key).order_by("order", "pk"))
    if not rules:
        rules = [BuiltInRule(kind)] if kind.default_condition else []
    for rule in rules:
        if isinstance(rule, ApprovalRule) and not rule.active:
            continue
        cond = kind.conditions.get(rule.condition)
        if cond and cond[1](record, user, payload, rule):
            return rule
    return None


def _levels(rule):
    if isinstance(rule, BuiltInRule):
        return rule.level_specs()
    return list(rule.levels.prefetch_related("users", "roles").order_by("order", "pk"))


# -- who approves ----------------------------------------------------------------------------


def _approvers(level, kind, record, requester):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    found = {}
    if level.pk:
        for u in level.users.filter(is_active=True):
            found[u.pk] = u
        for u in User.objects.filter(role__in=level.roles.all(), is_active=True):
            found[u.pk] = u
    if level.team_lead:
        for u in _team_leads(requester):
            found[u.pk] = u
    if level.approvers_with_right:
        for u in User.objects.filter(is_active=True).select_related("role"):
            if u.is_superuser or (
                u.level in (Level.TEAM_LEAD, Level.EXECUTIVE)
                and has_module_perm(u, kind.module, Action.APPROVE)
            ):
                found[u.pk] = u
    found.pop(requester.pk, None)  # nobody approves their own request
    # An approver must be able to see what they decide on.
    return [u for u in found.values() if u.is_superuser or is_visible(u, record)]


def _team_leads(user):
    from django.apps import apps

    Team = apps.get_model("users", "Team")
    teams = Team.objects.filter(members=user, lead__is_active=True).select_related("lead")
    return [t.lead for t in teams]


def delegators_q(user, today=None):
    """Q over `user` field names: tasks `user` may decide (own, or delegated to them today)."""
    today = today or timezone.localdate()
    delegators = Delegation.objects.filter(to_user=user, starts__lte=today, ends__gte=today).values(
        "from_user"
    )
    return Q(user=user) | Q(user__in=delegators)


# -- submitting ------------------------------------------------------------------------------


def submit(kind_key, record, *, acting_user, payload, rule=None, title=""):
    """Create a pending request for `record` and ask the first level's approvers."""
    kind = _kinds[kind_key]
    rule = rule or rule_for(kind_key, record, acting_user, payload) or BuiltInRule(kind)
    request = ApprovalRequest.objects.create(
        kind=kind_key,
        rule=rule if isinstance(rule, ApprovalRule) else None,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        record_version=getattr(record, "version", None),
        title=(title or str(record))[:255],
        payload=payload,
        requested_by=acting_user,
    )
    _activate(request, _levels(rule), 1, kind, record)
    _event("approval.requested", request, record, acting_user)
    return request


def _event(type, request, record, acting_user):
    """The request's event, about its record (so whoever may see the record sees it)."""
    if record is None:
        return
    payload = {"request": str(request.public_id), "kind": request.kind, "level": request.level}
    if request.note:
        payload["comment"] = request.note[:255]
    record_event(type, record, acting_user=acting_user, payload=payload)


def _activate(request, levels, order, kind, record):
    """Create the tasks of the `order`-th level (1-based); False when there is none."""
    if order > len(levels):
        return False
    level = levels[order - 1]
    users = _approvers(level, kind, record, request.requested_by)
    if not users:  # a level nobody can decide falls back to the administrators
        from django.contrib.auth import get_user_model

        users = list(get_user_model().objects.filter(is_superuser=True, is_active=True))
    ApprovalTask.objects.bulk_create(
        [ApprovalTask(request=request, level=order, mode=level.mode, user=u) for u in users]
    )
    if request.level != order:
        request.level = order
        ApprovalRequest.objects.filter(pk=request.pk).update(level=order)
    tasks = list(request.tasks.filter(level=order).select_related("user"))
    transaction.on_commit(lambda: _mail_tasks(request, tasks))
    return True


# -- deciding --------------------------------------------------------------------------------


def requests_visible_to(user):
    """Requests `user` may open: their own, those they approve (or act for), and those about
    records they can see."""
    q = Q(requested_by=user) | Q(
        pk__in=ApprovalTask.objects.filter(delegators_q(user)).values("request")
    )
    for kind in _kinds.values():
        q |= Q(
            kind=kind.key,
            object_id__in=kind.model._default_manager.visible_to(user).values("pk"),
        )
    return ApprovalRequest.objects.filter(q)


def my_task(request, user):
    """The pending task of the request's current level that `user` may decide, or None."""
    return (
        request.tasks.filter(delegators_q(user), level=request.level, status=TaskStatus.PENDING)
        .order_by("pk")
        .first()
    )


def can_decide(request, user):
    return request.status == Status.PENDING and my_task(request, user) is not None


def stale_reasons(request, record):
    """What changed since the request was made ([] when nothing did)."""
    kind = _kinds[request.kind]
    if kind.stale is not None:
        return kind.stale(record, request)
    current = getattr(record, "version", None)
    if None not in (request.record_version, current) and current != request.record_version:
        return [_("the record")]
    return []


def _already_decided():
    return ValidationError(_("This request was already decided."), code="decided")


@transaction.atomic
def decide(request, *, acting_user, approve, comment=""):
    """Approve or reject `request` as `acting_user`; returns the request.

    Deciding a request that is no longer pending changes nothing (ValidationError with
    "already decided"); approving one whose record changed since is refused (ValidationError).
    """
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.PENDING:
        raise _already_decided()
    task = my_task(request, acting_user)
    if task is None:
        raise PermissionDenied
    kind = _kinds[request.kind]
    record = kind.model._base_manager.select_for_update().filter(pk=request.object_id).first()
    if record is not None and not (acting_user.is_superuser or is_visible(acting_user, record)):
        raise PermissionDenied  # an approver who can no longer see the record
    now = timezone.now()
    comment = (comment or "")[:255]
    if not approve:
        request.tasks.filter(level=request.level, status=TaskStatus.PENDING).exclude(
            pk=task.pk
        ).update(status=TaskStatus.SKIPPED)
        _close_task(task, TaskStatus.REJECTED, acting_user, now, comment)
        _finish(request, "reject", acting_user, now, comment)
        if kind.on_reject:
            kind.on_reject(request, acting_user)
        _event("approval.rejected", request, record, acting_user)
        return request
    if record is None:
        raise ValidationError(_("The record of this request no longer exists."))
    if moved := stale_reasons(request, record):
        raise ValidationError(
            _(
                "%(name)s was changed after this request was made (%(fields)s), so approving it "
                "would undo those changes. Reject it and ask for the change to be made again."
            )
            % {"name": record, "fields": ", ".join(str(f) for f in moved)},
            code="stale",
        )
    _close_task(task, TaskStatus.APPROVED, acting_user, now, comment)
    pending = request.tasks.filter(level=request.level, status=TaskStatus.PENDING)
    if task.mode == ApprovalLevel.Mode.ALL and pending.exists():
        return request  # the others of this level still have to approve
    pending.update(status=TaskStatus.SKIPPED)
    rule = request.rule or BuiltInRule(kind)
    if _activate(request, _levels(rule), request.level + 1, kind, record):
        request.refresh_from_db()
        return request
    if kind.apply:
        kind.apply(request, acting_user)
    _finish(request, "approve", acting_user, now, comment)
    _event("approval.approved", request, record, acting_user)
    return request


def _close_task(task, status, user, now, comment):
    task.status, task.decided_by, task.decided_at, task.comment = status, user, now, comment
    task.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])


def _finish(request, name, user, now, comment):
    request.decided_by, request.decided_at, request.note = user, now, comment
    transition(
        request,
        name,
        acting_user=user,
        comment=comment,
        update_fields=("decided_by", "decided_at", "note"),
    )


@transaction.atomic
def cancel(request, *, acting_user):
    """The requester withdraws a pending request."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.requested_by_id != acting_user.pk:
        raise PermissionDenied
    if request.status != Status.PENDING:
        raise _already_decided()
    request.tasks.filter(status=TaskStatus.PENDING).update(status=TaskStatus.SKIPPED)
    request.decided_by, request.decided_at = acting_user, timezone.now()
    transition(
        request, "cancel", acting_user=acting_user, update_fields=("decided_by", "decided_at")
    )
    kind = _kinds[request.kind]
    if kind.on_reject:
        kind.on_reject(request, acting_user)
    record = kind.model._base_manager.filter(pk=request.object_id).first()
    _event("approval.cancelled", request, record, acting_user)
    return request


def move_requests(model, from_pk, to_pk):
    """A merge moved a record's rows: its approval requests follow."""
    ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=from_pk
    ).update(object_id=to_pk)


def pending_for(record):
    return ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        status=Status.PENDING,
    )


# -- delegation ------------------------------------------------------------------------------


@transaction.atomic
def delegate(*, acting_user, to_user, starts, ends):
    if to_user.pk == acting_user.pk:
        raise ValidationError({"to_user": _("Choose someone other than yourself.")})
    if ends < starts:
        raise ValidationError({"ends": _("The end comes before the start.")})
    return Delegation.objects.create(
        from_user=acting_user, to_user=to_user, starts=starts, ends=ends
    )


@transaction.atomic
def end_delegation(delegation, *, acting_user):
    if delegation.from_user_id != acting_user.pk:
        raise PermissionDenied
    delegation.delete()


# -- signed links ----------------------------------------------------------------------------


def link_token(task, decision):
    return signing.dumps({"t": str(task.public_id), "d": decision}, salt=SALT, compress=True)


class BadLink(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def read_link(token, max_age=None):
    """(task, decision) from a token; BadLink with a clear message when tampered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age or LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise BadLink(
            _("This link has expired. Open the request in Mitra to decide on it.")
        ) from exc
    except signing.BadSignature as exc:
        raise BadLink(_("This link is not valid. Open the request in Mitra instead.")) from exc
    if data.get("d") not in ("approve", "reject"):
        raise BadLink(_("This link is not valid. Open the request in Mitra instead."))
    task = ApprovalTask.objects.select_related("request").filter(public_id=data.get("t")).first()
    if task is None:
        raise BadLink(_("This link is not valid. Open the request in Mitra instead."))
    return task, data["d"]


def _mail_tasks(request, tasks):
    if not _mailers:
        return
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    site = getattr(settings, "SITE_URL", "").rstrip("/")
    for task in tasks:
        user = task.user
        if not user.email:
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            approve = site + reverse("approvals:link", args=[link_token(task, "approve")])
            reject = site + reverse("approvals:link", args=[link_token(task, "reject")])
            page = site + reverse("approvals:detail", args=[request.public_id])
            subject = _("Approval needed: %(title)s") % {"title": request.title}
            lines = [
                _("%(user)s asks for your approval of a change to %(title)s.")
                % {"user": request.requested_by, "title": request.title},
                "",
            ]
            lines += [
                f"- {label}: {old or '—'} → {new or '—'}" for label, old, new in request.field_rows
            ]
            lines += [
                "",
                _("Approve: %(url)s") % {"url": approve},
                _("Reject: %(url)s") % {"url": reject},
                _("Open the request: %(url)s") % {"url": page},
                "",
                _("Each link asks you to sign in and confirm; it is valid for %(days)d days.")
                % {"days": LINK_MAX_AGE // 86400},
            ]
            body = "\n".join(str(x) for x in lines)
        for mailer in _mailers:
            mailer(to=user.email, subject=subject, body=body)


def today_plus(days):
    return timezone.localdate() + dt.timedelta(days=days)
