from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "mitra.mail"
    label = "mail"
    verbose_name = _("Email delivery")

    def ready(self):
        from mitra.core.approvals.engine import register_mailer
        from mitra.core.policy import Action
        from mitra.core.registry import ADMIN_SECTION, Module, register_module

        register_module(
            Module(
                "mail",
                _("Email delivery"),
                "mail-forward",
                "mail:list",
                940,
                (Action.VIEW, Action.EDIT),
                ADMIN_SECTION,
            )
        )
        from .outbox import queue_email

        register_mailer(queue_email)  # approval requests email their approvers
