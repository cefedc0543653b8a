from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupeConfig(AppConfig):
    """Duplicate rules, the duplicate review queue and merge records of parties (A14).

    Its own app so its migrations never interleave with the parties app's; the screens
    live with the parties (mitra/parties/views_dupes.py, urls_dupes.py).
    """

    name = "mitra.dedupe"
    label = "dedupe"
    verbose_name = _("Duplicates")

    def ready(self):
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, register_module

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
