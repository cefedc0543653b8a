"""Business verbs for users, teams and roles. Views and the API both call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mitra.core.events import record_event
from mitra.core.policy import Action, require

from .models import ApiKey, Role, Team, User


@transaction.atomic
def save_user(form, *, acting_user):
    """Create or update a user from a valid UserForm, including password and teams."""
    creating = form.instance.pk is None
    if creating:
        require(acting_user, Action.CREATE, module="users")
    else:
        require(acting_user, Action.EDIT, form.instance, module="users")
    # Only executives may hand out roles; a team lead must not make themselves admin.
    role = form.cleaned_data.get("role")
    if role and role.level == "executive" and acting_user.level != "executive":
        raise PermissionDenied
    user = form.save(commit=False)
    if form.cleaned_data.get("password"):
        user.set_password(form.cleaned_data["password"])
    user._history_user = acting_user
    user.save()
    user.teams.set(form.cleaned_data.get("teams") or [])
    record_event("user.created" if creating else "user.updated", user, acting_user=acting_user)
    return user


@transaction.atomic
def set_user_active(user, active, *, acting_user):
    require(acting_user, Action.ACTIVATE, user, module="users")
    if user.pk == acting_user.pk and not active:
        raise PermissionDenied  # nobody locks themselves out
    user.is_active = active
    user._history_user = acting_user
    user.save(update_fields=["is_active"])
    record_event("user.activated" if active else "user.deactivated", user, acting_user=acting_user)
    return user


def _require_save(acting_user, instance, module):
    """The right to create (a new record) or edit (an existing one) in `module`."""
    if instance.pk is None:
        require(acting_user, Action.CREATE, module=module)
    else:
        require(acting_user, Action.EDIT, instance, module=module)


@transaction.atomic
def save_team(form, *, acting_user):
    _require_save(acting_user, form.instance, "teams")
    team = form.save(commit=False)
    team._history_user = acting_user
    team.save()
    form.save_m2m()
    record_event("team.saved", team, acting_user=acting_user)
    return team


@transaction.atomic
def delete_team(team, *, acting_user):
    require(acting_user, Action.DELETE, team, module="teams")
    record_event("team.deleted", team, acting_user=acting_user)
    team.delete()


@transaction.atomic
def save_role(form, *, acting_user):
    _require_save(acting_user, form.instance, "roles")
    role = form.save(commit=False)
    role.permissions = form.permissions()
    role._history_user = acting_user
    role.save()
    record_event("role.saved", role, acting_user=acting_user)
    return role


@transaction.atomic
def delete_role(role, *, acting_user):
    """Delete a role nobody holds; a role in use must be taken off its users first."""
    require(acting_user, Action.DELETE, role, module="roles")
    if role.users.exists():
        raise ValueError("role in use")
    record_event("role.deleted", role, acting_user=acting_user)
    role.delete()


def issue_api_key(name, *, acting_user):
    return ApiKey.issue(acting_user, name)


def revoke_api_key(key, *, acting_user):
    if key.user_id != acting_user.pk:
        raise PermissionDenied
    key.delete()


__all__ = ["Role", "Team", "User"]
