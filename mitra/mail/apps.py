from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "mitra.mail"
    label = "mail"
    verbose_name = _("Outbox")

    def ready(self):
        from mitra.core import scheduler
        from mitra.core.approvals.engine import register_mailer
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, register_module

        register_module(
            Module(
                "mail",
                _("Outbox"),
                "mail-forward",
                "mail:list",
                940,
                (Action.VIEW, Action.EDIT),
                ADMIN_SECTION,
            )
        )
        from mitra.core import outbox

        from .models import OutboxMessage
        from .tasks import drain_outbox

        # This app stores the one outbox (email, SMS, webhooks) and shows it.
        outbox.use_storage(OutboxMessage, drain_outbox)
        # Retries whose time has come, and anything queued while no worker ran.
        scheduler.register("mail.drain", drain_outbox, every=60)

        from .outbox import queue_email

        register_mailer(queue_email)  # approval requests email their approvers
