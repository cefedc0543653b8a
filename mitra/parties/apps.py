from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "mitra.parties"
    label = "parties"
    verbose_name = _("Parties")

    def ready(self):
        from mitra.core.registry import Module, register_demo, register_module

        from . import demo, filters, search

        register_module(Module("parties", _("Parties"), "address-book", "parties:list", 10))
        register_demo(demo.load)
        search.register()  # substring index hooks + top-bar search (search helper)
        filters.connect()

        from mitra.core import scheduler

        from .tasks import refresh_ratings

        # A rating with a future start or a past end takes or loses effect by the date.
        scheduler.register("parties.ratings", refresh_ratings, every=24 * 3600)
