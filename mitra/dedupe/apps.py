from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupeConfig(AppConfig):
    """Duplicate rules, the duplicate review queue and merge records of parties (A14).

    It depends on parties, never the other way round: parties compares two parties
    (`mitra.parties.duplicates`) and asks for the rules through `register_rules`; this app
    holds the rules, the finder, the review queue and merge, and mounts its screens under
    /parties/ in the parties URL namespace.
    """

    name = "mitra.dedupe"
    label = "dedupe"
    verbose_name = _("Duplicates")
    url_prefix = None  # no URLs of its own: mounted in the parties namespace

    def ready(self):
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, extend_urls, register_module
        from mitra.parties.duplicates import register_rules

        from .models import DuplicateRule

        register_rules(DuplicateRule.objects.active)
        extend_urls("parties", "mitra.dedupe.urls")

        register_module(
            Module(
                "duplicate_rules",
                _("Duplicate rules"),
                "copy",
                "parties:duplicate_rules",
                order=85,
                actions=(Action.VIEW, Action.EDIT),
                section=ADMIN_SECTION,
            )
        )
