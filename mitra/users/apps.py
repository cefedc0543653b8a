from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "mitra.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self):
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, register_demo, register_module

        from . import demo, schema  # noqa: F401 - schema registers the OpenAPI extension

        admin_actions = (Action.VIEW, Action.CREATE, Action.EDIT, Action.DELETE, Action.ACTIVATE)
        register_module(
            Module("users", _("Users"), "users", "users:list", 900, admin_actions, ADMIN_SECTION)
        )
        register_module(
            Module(
                "teams", _("Teams"), "users-group", "users:teams", 910, admin_actions, ADMIN_SECTION
            )
        )
        register_module(
            Module(
                "roles", _("Roles"), "shield-lock", "users:roles", 920, admin_actions, ADMIN_SECTION
            )
        )
        register_demo(demo.load)
