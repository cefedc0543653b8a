from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "mitra.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from mitra.core.tasks import clear_idempotency_keys
        from mitra.mail.tasks import drain_outbox
        from mitra.parties.tasks import refresh_ratings

        from . import scheduler, sources
        from .tasks import collect_reminders, prune_task_results

        sources.register()
        scheduler.register_periodic("reminders.collect", collect_reminders, 60)
        # Retries whose time has come, and anything queued while no worker ran.
        scheduler.register_periodic("mail.drain", drain_outbox, 60)
        scheduler.register_periodic("tasks.prune", prune_task_results, 24 * 3600)
        # A rating with a future start or a past end takes or loses effect by the date.
        scheduler.register_periodic("parties.ratings", refresh_ratings, 24 * 3600)
        scheduler.register_periodic("core.idempotency", clear_idempotency_keys, 24 * 3600)
