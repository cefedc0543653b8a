"""Approvals as data: rules → levels → approvers, and the requests they produce.

A rule says which kind of request needs approval (a kind is registered by an app, e.g.
"parties.change") and under which condition; its levels are decided in order (sequential),
and within a level every approver decides at once (parallel): "any" needs one approval,
"all" needs every approver's. A request stores the record it is about (generic), the
record's version and the payload the requester proposed; each approver of the active level
has a task.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..models import PublicIdModel, TimeStampedModel
from ..versioning import VersionedModel
from ..workflow import Transition, Workflow


class ApprovalRule(VersionedModel, TimeStampedModel, PublicIdModel):
    kind = models.CharField(_("what needs approval"), max_length=50)
    condition = models.CharField(_("when"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    threshold = models.DecimalField(
        _("threshold"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("For conditions that compare a number (a discount above this, for example)."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        app_label = "core"
        ordering = ["kind", "order", "pk"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        # engine.rule_for(): the active rules of one kind, in order.
        indexes = [models.Index(fields=["kind", "active", "order"], name="approvalrule_kind_idx")]

    def __str__(self):
        return self.name


class ApprovalLevel(TimeStampedModel, PublicIdModel):
    class Mode(models.TextChoices):
        ANY = "any", _("One approval is enough")
        ALL = "all", _("Every approver must approve")

    rule = models.ForeignKey(
        ApprovalRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveIntegerField(_("order"), default=1)
    mode = models.CharField(_("approvers"), max_length=5, choices=Mode.choices, default=Mode.ANY)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="+"
    )
    roles = models.ManyToManyField(
        "users.Role", verbose_name=_("everyone with the role"), blank=True, related_name="+"
    )
    team_lead = models.BooleanField(_("the requester's team lead"), default=False)
    approvers_with_right = models.BooleanField(
        _("team leads and executives with the approve right who can see the record"),
        default=False,
    )

    class Meta:
        app_label = "core"
        ordering = ["rule", "order", "pk"]
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")

    def __str__(self):
        return f"{self.rule} #{self.order}"


class Delegation(VersionedModel, TimeStampedModel, PublicIdModel):
    """While it runs, `to_user` decides the approvals waiting for `from_user`."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.CASCADE,
        related_name="delegations_given",
    )  # fmt: skip
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.CASCADE,
        related_name="delegations_received",
    )  # fmt: skip
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))

    class Meta:
        app_label = "core"
        ordering = ["-starts", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        # Who acts for whom today (engine.delegators_of()).
        indexes = [
            models.Index(fields=["to_user", "starts", "ends"], name="delegation_to_user_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")), name="delegation_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.from_user} → {self.to_user}"


class ApprovalRequest(VersionedModel, TimeStampedModel, PublicIdModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=50)
    rule = models.ForeignKey(
        ApprovalRule, verbose_name=_("rule"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_version = models.PositiveIntegerField(_("record version"), null=True, blank=True)
    title = models.CharField(_("record"), max_length=255, blank=True)
    # What the requester proposed, in JSON-safe form; its shape belongs to the kind.
    payload = models.JSONField(_("proposed change"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    level = models.PositiveIntegerField(_("level"), default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("comment"), max_length=255, blank=True)

    workflow = Workflow(
        "status",
        [
            Transition("approve", _("Approve"), (Status.PENDING,), Status.APPROVED),
            Transition("reject", _("Reject"), (Status.PENDING,), Status.REJECTED),
            Transition("cancel", _("Cancel"), (Status.PENDING,), Status.CANCELLED),
        ],
    )

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            # A record's pending requests (the "waits for approval" note on its page).
            models.Index(
                fields=["content_type", "object_id", "status"], name="approvalreq_record_idx"
            ),
            # "My requests", newest first.
            models.Index(fields=["requested_by", "created_at"], name="approvalreq_mine_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def kind_spec(self):
        from .engine import get_kind

        return get_kind(self.kind)

    @cached_property
    def field_rows(self):
        """(label, old, new) for display: only what the request changes."""
        spec = self.kind_spec
        return spec.rows(self) if spec and spec.rows else []

    @property
    def record_url(self):
        spec = self.kind_spec
        return spec.url(self) if spec and spec.url else ""


class ApprovalTask(TimeStampedModel, PublicIdModel):
    """One approver's part in one level of a request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SKIPPED = "skipped", _("Not needed")

    request = models.ForeignKey(
        ApprovalRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="tasks"
    )
    level = models.PositiveIntegerField(_("level"))
    mode = models.CharField(max_length=5, choices=ApprovalLevel.Mode.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.CASCADE,
        related_name="approval_tasks",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=255, blank=True)

    class Meta:
        app_label = "core"
        ordering = ["level", "pk"]
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        # "Waiting for me": my pending tasks.
        indexes = [models.Index(fields=["user", "status"], name="approvaltask_user_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level", "user"], name="approvaltask_one_per_level"
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.user}"
