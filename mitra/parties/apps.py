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
        from mitra.core import scheduler

        from .tasks import refresh_ratings

        # A rating with a future start or a past end takes or loses effect by the date.
        scheduler.register("parties.ratings", refresh_ratings, every=24 * 3600)
        self._register_tabs()
        self._register_events()

    def _register_tabs(self):
        from .tabs import register_tab
        from .views import detail

        # Later apps add theirs the same way (activities: the timeline, order 2).
        register_tab(
            "overview", _("Overview"), detail._overview_tab, order=0, icon="layout-dashboard"
        )
        register_tab("profile", _("Profile"), detail._profile_tab, order=5, icon="id")
        register_tab("contacts", _("Contacts"), detail._contacts_tab, order=10, icon="users")
        register_tab(
            "relationships",
            _("Relationships"),
            detail._relationships_tab,
            order=20,
            icon="affiliate",
        )
        register_tab("history", _("History"), detail._history_tab, order=90, icon="history")

    def _register_events(self):
        from mitra.core.events import register_type

        # Shown on the timeline: what neither the party's history nor another row tells.
        for type, label in (
            ("party.merged", _("Merged with another party")),
            ("party.role_changed", _("Role changed")),
            ("party.rated", _("Rated")),
            ("party.related", _("Relationship added")),
            ("party.unrelated", _("Relationship removed")),
        ):
            register_type(type, label, timeline=True)
