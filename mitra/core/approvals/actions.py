"""Configuration verbs of the approval engine (rules and levels): "Shared configuration" right."""

from django.db import transaction

from ..policy import require_configure


@transaction.atomic
def save_rule(rule, *, acting_user):
    require_configure(acting_user)
    rule.save()
    return rule


@transaction.atomic
def delete_rule(rule, *, acting_user):
    require_configure(acting_user)
    rule.delete()


@transaction.atomic
def save_level(form, *, acting_user):
    """Save a level's ModelForm (with its approvers)."""
    require_configure(acting_user)
    return form.save()


@transaction.atomic
def delete_level(level, *, acting_user):
    require_configure(acting_user)
    level.delete()
