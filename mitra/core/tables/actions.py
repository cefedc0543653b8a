"""The state changes of the lists: saved views and column choices."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mitra.core.versioning import check_version

from .models import ListPreference, SavedView, Visibility

MAX_VIEWS = 50  # per user and list


@transaction.atomic
def save_columns(*, acting_user, list_key, columns):
    """The user's columns for a list; None forgets the choice (the list's default)."""
    if columns is None:
        ListPreference.objects.filter(user=acting_user, list_key=list_key).delete()
        return None
    pref, _created = ListPreference.objects.select_for_update().get_or_create(
        user=acting_user, list_key=list_key, defaults={"columns": columns}
    )
    if pref.columns != columns:
        pref.columns = columns
        pref.save()
    return pref


def _clean(name, visibility, team, acting_user):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > 80:
        raise ValidationError({"name": _("A view's name has at most 80 characters.")})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who sees the view.")})
    if visibility == Visibility.TEAM:
        if team is None or team.pk not in acting_user.team_ids():
            raise ValidationError({"visibility": _("Choose one of your teams to share it with.")})
    else:
        team = None
    return name, team


@transaction.atomic
def save_view(
    *, acting_user, list_key, name, query="", sort="", columns=(), visibility="private", team=None
):
    """A new saved view of list `list_key` (the list's current filters, sort and columns)."""
    name, team = _clean(name, visibility, team, acting_user)
    mine = SavedView.objects.filter(owner=acting_user, list_key=list_key)
    if mine.count() >= MAX_VIEWS:
        raise ValidationError({"name": _("You have too many saved views here; delete one first.")})
    return SavedView.objects.create(
        owner=acting_user, team=team, list_key=list_key, name=name, query=query[:2000],
        sort=sort[:40], columns=list(columns), visibility=visibility,
    )  # fmt: skip


@transaction.atomic
def rename_view(view, *, acting_user, name, visibility=None, team=None, version=None):
    """A new name (and who sees it) for one of the user's own views."""
    if view.owner_id != acting_user.pk:
        raise PermissionDenied
    check_version(view, version)
    visibility = visibility or view.visibility
    view.name, view.team = _clean(name, visibility, team or view.team, acting_user)
    view.visibility = visibility
    view.save()
    return view


@transaction.atomic
def delete_view(view, *, acting_user):
    if view.owner_id != acting_user.pk:
        raise PermissionDenied
    view.delete()
