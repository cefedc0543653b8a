"""Code lists (`Lookup`): the codes a business sets up for itself — interaction results,
reasons, media, appointment types, and every later app's lists — one model for all.

A code belongs to a module (the permission-matrix key of the app that owns the list, e.g.
"interactions") and a kind (which list of that module), has a name and labels per
language (`LabelledModel`). Apps name their kinds with TextChoices of their own; core
knows none of them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .labels import LabelledModel
from .models import PublicIdModel, TimeStampedModel
from .policy import Action, VisibleQuerySet, has_module_perm
from .versioning import VersionedModel


class LookupQuerySet(VisibleQuerySet):
    def of(self, kind, module=None):
        """Active codes of one kind, in their display order."""
        found = self.filter(kind=kind, is_active=True)
        return found.filter(module=module) if module else found

    def visible_to(self, user):
        """Codes of the modules `user` may see (shared configuration: no owner scope)."""
        from .registry import modules

        keys = [m.key for m in modules() if has_module_perm(user, m.key, Action.VIEW)]
        return self.filter(module__in=keys)


class Lookup(LabelledModel, TimeStampedModel, PublicIdModel, VersionedModel):
    """One code of one list of one module."""

    module = models.CharField(_("module"), max_length=40)
    kind = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # A result that counts as a success in the analysis (a sale, a solved problem).
    is_success = models.BooleanField(_("counts as a success"), default=False)

    objects = LookupQuerySet.as_manager()

    class Meta:
        ordering = ["module", "kind", "order", "name"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(fields=["module", "kind", "name"], name="core_lookup_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def policy_module(self):
        return self.module
