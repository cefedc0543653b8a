"""The policy core: who may see which records and do what with them.

Every app reads through `Model.objects.visible_to(user)` and checks writes with
`can(user, action, obj)`. Views turn a public id into a record with
`get_for_user()`, which answers 404 for records the user cannot see (so their
existence is not revealed) and 403 for an action the user may not take.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    DELETE = "delete", _("Delete")
    PURGE = "purge", _("Permanently delete")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    ACTIVATE = "activate", _("Activate/deactivate")
    STAR = "star", _("Star")
    APPROVE = "approve", _("Approve")


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    TEAM = "team", _("Team's records")
    ALL = "all", _("All records")


class Level(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    TEAM_LEAD = "team_lead", _("Team lead")
    OPERATOR = "operator", _("Operator")


def role_of(user):
    return getattr(user, "role", None) if user.is_authenticated else None


def has_module_perm(user, module, action):
    """Whether the user's role grants `action` on `module` at all (no record in view)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_of(user)
    return bool(role and role.allows(module, action))


def scope_of(user):
    if user.is_superuser:
        return Scope.ALL
    role = role_of(user)
    return role.scope if role else Scope.OWN


class VisibleQuerySet(models.QuerySet):
    """QuerySet base for records owned by users; models set `policy_module`."""

    def visible_to(self, user):
        """Records `user` may see: by module permission, then own / team / all scope."""
        if not has_module_perm(user, self.model.policy_module, Action.VIEW):
            return self.none()
        scope = scope_of(user)
        if scope == Scope.ALL:
            return self
        return self.filter(self.model.scope_q(user, scope))


def owner_scope_q(user, scope, owner_field="owner", team_field="team"):
    """The usual rule: own records, or (team scope) records owned by or shared with a team."""
    q = Q(**{owner_field: user})
    if scope == Scope.TEAM:
        q |= Q(**{f"{owner_field}__in": user.teammate_ids()})
        if team_field:
            q |= Q(**{f"{team_field}__in": user.team_ids()})
    return q


def can(user, action, obj=None, module=None):
    """May `user` take `action` on `obj` (or on the module when no record is given)?"""
    module = module or getattr(obj, "policy_module", None)
    if module is None:
        raise ValueError("can() needs a record with policy_module or a module name")
    if not has_module_perm(user, module, action):
        return False
    if obj is None or user.is_superuser:
        return True
    if not is_visible(user, obj):
        return False
    # Own-scope users may act only on what is theirs even when a record is shared with them.
    return obj.allows(user, action) if hasattr(obj, "allows") else True


def is_visible(user, obj):
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def get_for_user(user, model_or_queryset, action=Action.VIEW, **lookup):
    """The record matching `lookup` that `user` may see, else 404; 403 if `action` is denied."""
    qs = model_or_queryset
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    try:
        obj = qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if action != Action.VIEW and not can(user, action, obj):
        raise PermissionDenied
    return obj


def is_public_id(value):
    """Whether `value` can be a record's public id (a UUID), e.g. from a query string."""
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def require(user, action, obj=None, *, module=None):
    """403 unless `user` may do `action` on `obj` (or, without one, on `module`)."""
    allowed = can(user, action, obj) if obj is not None else has_module_perm(user, module, action)
    if not allowed:
        raise PermissionDenied


def require_module(user, module, action):
    """403 unless the user's role grants `action` on `module`."""
    if not has_module_perm(user, module, action):
        raise PermissionDenied


# Shared configuration (party groups, rating levels, activity codes, duplicate rules) is
# company-wide: changing it is a right of its own, not part of editing parties.
CONFIGURATION = "configuration"


def can_configure(user):
    return has_module_perm(user, CONFIGURATION, Action.EDIT)


def require_configure(user):
    """403 unless the user may change the company-wide configuration."""
    require_module(user, CONFIGURATION, Action.EDIT)
