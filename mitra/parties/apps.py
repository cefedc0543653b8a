from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "mitra.parties"
    label = "parties"
    verbose_name = _("Parties")

    def ready(self):
        from mitra.core.registry import Module, register_demo, register_module

        from . import approvals, demo, documents, filters, search

        register_module(Module("parties", _("Parties"), "address-book", "parties:list", 10))
        register_demo(demo.load)
        search.register()  # substring index hooks + top-bar search (search helper)
        approvals.register()  # edit approval (A17) through the core approval engine
        filters.connect()
        documents.register()  # the party fact sheet (core.documents)
