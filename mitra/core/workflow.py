"""A small state machine for status fields: a new status flow is a workflow.

A model declares its flow next to its TextChoices status field::

    class Quotation(TrackedModel):
        class Status(models.TextChoices): ...
        status = models.CharField(choices=Status.choices, default=Status.DRAFT, ...)
        workflow = Workflow("status", [
            Transition("submit", _("Submit"), source=[Status.DRAFT], target=Status.PENDING),
            Transition("approve", _("Approve"), source=[Status.PENDING], target=Status.APPROVED,
                       permission=("sales", Action.APPROVE), guard=lambda q, user: q.lines.exists()),
        ])

and its actions call ``transition(quotation, "approve", acting_user=user, comment=…)``. That
checks the source state, the permission (a ``(module, action)`` pair checked with
`core.policy.can`, or a callable ``(user, obj) -> bool``) and the guard (``(obj, user) ->
bool | str``; a string is the reason shown to the user), saves the new state with the
record's version check (`core.versioning`: a transition on a record changed since it was read
is refused) and writes a `TransitionLog` row (who, when, from, to, comment). Buttons come from
``available_transitions(obj, user)``.

Why not django-fsm-2: its protected field and `save()` path sit beside our conditional-update
versioning rather than through it, its history needs django-fsm-log (another app and table per
project), and what we need is these ~150 lines.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .versioning import VersionedModel, check_version


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: tuple = ()  # states it may start from; empty: any state
    target: str = ""
    # (module, action): the role's right (and, for a policy record, seeing it), or
    # callable(user, obj) -> bool; None: anyone who may reach the action
    permission: object = None
    guard: object = None  # callable(obj, user) -> True/False or a reason (str) when refused
    style: str = field(default="primary")  # button look: primary, success, danger, secondary

    def allowed_from(self, state):
        return not self.source or state in self.source


class Workflow:
    def __init__(self, field_name, transitions):
        self.field_name = field_name
        self.transitions = {t.name: t for t in transitions}

    def state(self, obj):
        return getattr(obj, self.field_name)

    def _permitted(self, t, obj, user):
        if t.permission is None:
            return True
        if callable(t.permission):
            return bool(t.permission(user, obj))
        from .policy import can, has_module_perm

        module, action = t.permission
        if hasattr(type(obj)._default_manager, "visible_to"):  # a record under the policy
            return can(user, action, obj, module=module)
        return has_module_perm(user, module, action)

    def _guard(self, t, obj, user):
        """None when the guard lets it through, else the reason."""
        if t.guard is None:
            return None
        answer = t.guard(obj, user)
        if answer is True or answer is None:
            return None
        return answer or gettext("This step is not possible now.")

    def available(self, obj, user):
        """The transitions `user` may take on `obj` now (for buttons)."""
        state = self.state(obj)
        return [
            t
            for t in self.transitions.values()
            if t.allowed_from(state)
            and self._permitted(t, obj, user)
            and self._guard(t, obj, user) is None
        ]


def workflow_of(obj):
    wf = getattr(type(obj), "workflow", None)
    if not isinstance(wf, Workflow):
        raise TypeError(f"{type(obj).__name__} declares no workflow")
    return wf


def available_transitions(obj, user):
    return workflow_of(obj).available(obj, user)


@transaction.atomic
def transition(obj, name, *, acting_user, comment="", expected_version=None, update_fields=()):
    """Move `obj` along transition `name`; returns the TransitionLog row.

    Refused (nothing written) with PermissionDenied when the user may not take it, and with
    ValidationError when the state does not allow it, the guard says no, or (versioned
    records) the record changed since `expected_version` / since it was read.
    """
    wf = workflow_of(obj)
    t = wf.transitions.get(name)
    if t is None:
        raise ValidationError(gettext("Unknown step: %(name)s.") % {"name": name})
    if not wf._permitted(t, obj, acting_user):
        raise PermissionDenied
    before = wf.state(obj)
    if not t.allowed_from(before):
        raise ValidationError(
            gettext("This step is not possible from the status “%(state)s”.")
            % {"state": _state_label(obj, wf, before)},
            code="state",
        )
    if reason := wf._guard(t, obj, acting_user):
        raise ValidationError(str(reason), code="guard")
    if isinstance(obj, VersionedModel):
        check_version(obj, expected_version)
    setattr(obj, wf.field_name, t.target)
    fields = {wf.field_name, *update_fields}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.add("updated_at")
    obj.save(update_fields=fields)
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        field=wf.field_name,
        transition=name,
        from_state=before or "",
        to_state=t.target,
        user=acting_user if getattr(acting_user, "pk", None) else None,
        comment=comment or "",
    )


def _state_label(obj, wf, state):
    choices = dict(obj._meta.get_field(wf.field_name).flatchoices)
    return choices.get(state, state)


def transition_history(obj):
    """The transitions `obj` went through, newest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("user")


class TransitionLog(models.Model):
    """One row per transition taken: which record, which step, from/to, who, when, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=50)
    transition = models.CharField(_("step"), max_length=50)
    from_state = models.CharField(_("from"), max_length=50, blank=True)
    to_state = models.CharField(_("to"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        # A record's history of steps (transition_history()).
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="transitionlog_record_idx"
            )
        ]

    def __str__(self):
        return f"{self.transition}: {self.from_state} → {self.to_state}"
