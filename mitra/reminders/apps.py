from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "mitra.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from mitra.core import scheduler

        from . import sources
        from .tasks import collect_reminders

        sources.register()
        scheduler.register("reminders.collect", collect_reminders, every=60)
