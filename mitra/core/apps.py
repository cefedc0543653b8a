from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mitra.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .policy import CONFIGURATION, Action
        from .registry import ADMIN_SECTION, Module, register_module
        from .tables import prefs

        prefs.connect()  # the user's list columns into the session at sign-in

        # No screen of its own: it governs the settings screens of the apps (groups, rating
        # levels, activity codes, duplicate rules).
        register_module(
            Module(
                CONFIGURATION,
                _("Shared configuration"),
                "adjustments",
                None,
                925,
                (Action.EDIT,),
                ADMIN_SECTION,
            )
        )
