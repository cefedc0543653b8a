"""Shared configuration (party groups, rating levels, activity codes, duplicate rules) is a
right of its own ("configuration": edit). Roles that could change that configuration
before keep it when they are administrators or team leads, or were given the settings
modules (activity codes, duplicate rules) explicitly; operators who could only because
they edit parties lose it."""

from django.db import migrations

OLD_RIGHTS = {
    "parties": {"create", "edit", "delete"},
    "activity_codes": {"create", "edit"},
    "duplicate_rules": {"edit"},
}
SETTINGS_MODULES = {"activity_codes", "duplicate_rules", "roles"}


def _keeps_it(role):
    perms = role.permissions or {}
    had = {m for m, actions in OLD_RIGHTS.items() if set(perms.get(m, ())) & actions}
    if not had:
        return bool(set(perms.get("roles", ())) & {"create", "edit"})
    if role.level in ("executive", "team_lead"):
        return True
    return bool(had & SETTINGS_MODULES)


def grant(apps, schema_editor):
    Role = apps.get_model("users", "Role")
    for role in Role.objects.all():
        if _keeps_it(role) and "edit" not in role.permissions.get("configuration", []):
            permissions = {**role.permissions, "configuration": ["edit"]}
            Role.objects.filter(pk=role.pk).update(permissions=permissions)


def revoke(apps, schema_editor):
    Role = apps.get_model("users", "Role")
    for role in Role.objects.all():
        if "configuration" in (role.permissions or {}):
            permissions = {k: v for k, v in role.permissions.items() if k != "configuration"}
            Role.objects.filter(pk=role.pk).update(permissions=permissions)


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [migrations.RunPython(grant, revoke)]
