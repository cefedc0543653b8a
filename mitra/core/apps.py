from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mitra.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import scheduler, tasks
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
        # Sidebar entries that are not modules of the role matrix.
        from .approvals.engine import sees_approvals
        from .policy import can_configure
        from .registry import NavLink, register_nav

        register_nav(NavLink("approvals", _("Approvals"), "checklist", "approvals:list", 80,
                             visible=sees_approvals))  # fmt: skip
        for key, label, icon, url, order in (
            ("documents", _("Document templates"), "template", "documents:templates", 930),
            ("letterhead", _("Letterhead"), "building", "documents:company", 931),
            ("numbering", _("Number series"), "numbers", "numbering:list", 932),
        ):
            register_nav(NavLink(key, label, icon, url, order, section=ADMIN_SECTION,
                                 visible=can_configure))  # fmt: skip

        # Periodic jobs of the infrastructure (apps register theirs from their own ready()).
        scheduler.register("tasks.prune", tasks.prune_task_results, every=24 * 3600)
        scheduler.register("core.idempotency", tasks.clear_idempotency_keys, every=24 * 3600)

        from .events import register_timeline

        register_timeline()  # the event feed is a source of the party timeline
        from .events import register_type

        for type, label in (
            ("approval.requested", _("Approval requested")),
            ("approval.approved", _("Approval granted")),
            ("approval.rejected", _("Approval rejected")),
            ("approval.cancelled", _("Approval request withdrawn")),
        ):
            register_type(type, label, timeline=True)
