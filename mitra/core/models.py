"""Base models every app builds on: timestamps, public ids, ownership and history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .policy import VisibleQuerySet, owner_scope_q
from .versioning import VersionedModel  # noqa: F401 - the base of every editable record


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """Integer keys inside, a UUID in URLs so ids cannot be guessed or counted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class OwnedModel(TimeStampedModel, PublicIdModel):
    """A record owned by a user and optionally shared with a team; read through the policy."""

    policy_module = ""  # the permission-matrix module key; set by each concrete model

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "users.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user, scope):
        return owner_scope_q(user, scope)


class TrackedModel(VersionedModel, OwnedModel):
    """An owned record whose every change is kept (who, which field, from what, to what).

    Every save bumps its `version` and is refused when another save came first
    (`core.versioning`): edits carry the version they started from.
    """

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


from .approvals.models import (  # noqa: E402, F401
    ApprovalLevel,
    ApprovalRequest,
    ApprovalRule,
    ApprovalTask,
    Delegation,
)
from .codes import Lookup  # noqa: E402, F401
from .events import Event  # noqa: E402, F401
from .idempotency import IdempotencyKey  # noqa: E402, F401
from .imports.models import ImportJob, ImportRowError  # noqa: E402, F401
from .numbering import CodeSequence, NumberSeries  # noqa: E402, F401
from .scheduler import PeriodicRun  # noqa: E402, F401
from .tables.models import ListPreference, SavedView  # noqa: E402, F401
from .workflow import TransitionLog  # noqa: E402, F401
