"""Saved views and column choices of the lists. Imported at the end of core/models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mitra.core.models import TimeStampedModel, TrackedModel
from mitra.core.policy import VisibleQuerySet
from mitra.core.versioning import VersionedModel


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    TEAM = "team", _("My team")


class SavedViewQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """A private view is its owner's alone; a shared one is its team's members' too."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(Q(owner=user) | Q(visibility=Visibility.TEAM, team__in=user.team_ids()))

    def for_list(self, key):
        return self.filter(list_key=key).order_by("name", "pk")


class SavedView(TrackedModel):
    """A list's filters, sort and columns under a name, private or shared with a team."""

    policy_module = ""  # governed by visible_to() above, not by a module's permissions

    list_key = models.CharField(_("list"), max_length=60)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    sort = models.CharField(_("sort"), max_length=40, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        indexes = [models.Index(fields=["list_key", "owner"], name="core_savedview_list_owner")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="team") | Q(team__isnull=False),
                name="core_savedview_team_when_shared",
            )
        ]

    def __str__(self):
        return self.name


class ListPreference(TimeStampedModel, VersionedModel):
    """The columns a user chose for a list (read from the session, see core.tables.prefs)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    list_key = models.CharField(_("list"), max_length=60)
    columns = models.JSONField(_("columns"), default=list, blank=True)

    class Meta:
        verbose_name = _("list preference")
        verbose_name_plural = _("list preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "list_key"], name="core_listpref_user_list")
        ]
