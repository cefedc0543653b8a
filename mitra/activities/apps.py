from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "mitra.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, register_demo, register_module

        from . import demo

        everyday = (
            Action.VIEW,
            Action.CREATE,
            Action.EDIT,
            Action.DELETE,
            Action.PURGE,
            Action.EXPORT,
        )
        for key, label, icon, url, order in (
            ("interactions", _("Interactions"), "messages", "activities:interactions", 20),
            ("followups", _("Follow-ups"), "target-arrow", "activities:followups", 22),
            ("appointments", _("Appointments"), "calendar-event", "activities:appointments", 24),
            ("tasks", _("Tasks"), "checklist", "activities:tasks", 26),
            ("notes", _("Notes"), "note", "activities:notes", 28),
            ("news", _("News"), "speakerphone", "activities:news", 29),
        ):
            register_module(Module(key, label, icon, url, order, everyday))
        # Files have no screen of their own: they live on the records they are attached to.
        register_module(
            Module(
                "attachments",
                _("Attachments"),
                "paperclip",
                None,
                30,
                (Action.VIEW, Action.CREATE, Action.DELETE),
            )
        )
        register_module(
            Module(
                "activity_codes",
                _("Activity codes"),
                "list-details",
                "activities:lookups",
                930,
                (Action.VIEW,),  # changing codes: the shared configuration right
                ADMIN_SECTION,
            )
        )
        register_demo(demo.load)

        self._register_party_hooks()
        if apps.is_installed("mitra.reminders"):
            from . import reminder_sources

            reminder_sources.register()
        if apps.is_installed("mitra.mail"):
            self._register_mail_hook()

    def _register_party_hooks(self):
        from mitra.parties.actions import register_delete_blocker, register_purge_hook
        from mitra.parties.history import register_history_source
        from mitra.parties.tabs import register_tab

        from . import actions, timeline, views

        register_tab("timeline", _("Timeline"), views.timeline_tab, order=2, icon="timeline-event")
        # The party's one file list (its own files; those on its activities show there and
        # on the timeline). The key is the old parties tab's, so old links keep working.
        register_tab("attachments", _("Files"), views.party_files_tab, order=30, icon="paperclip")
        timeline.register_sources()
        from mitra.core.events import register_type

        register_type("task.status_changed", _("Task status changed"), timeline=True)
        register_type("task.closed", _("Task closed"), timeline=True)
        register_type("task.assigned", _("Task assigned"), timeline=True)
        register_type("note.status_changed", _("Note closed or reopened"), timeline=True)
        register_delete_blocker(actions.party_delete_blocker)
        register_purge_hook(actions.delete_party_files)
        register_history_source(views.party_file_history)
        actions.register_builtin_attachables()

    def _register_mail_hook(self):
        try:
            from mitra.mail.outbox import register_sent_hook
        except ImportError:  # the mail app is there but not its outbox yet
            return
        from .actions import log_sent_email

        register_sent_hook(log_sent_email)
