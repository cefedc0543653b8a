"""A later app adds a party tab and a timeline source from its apps.py, without editing
parties or activities (core/timeline.py, parties/tabs.py)."""

from django.urls import reverse
from django.utils.html import format_html

from mitra.activities import timeline
from mitra.core.events import Event
from mitra.core.testing import BaseTestCase
from mitra.core.timeline import TimelineSource, register_timeline_source, unregister_timeline_source
from mitra.parties import actions as party_actions
from mitra.parties.models import Kind
from mitra.parties.tabs import register_tab, unregister_tab


def _opportunities_tab(request, party):
    return format_html("<p>Opportunities of {}</p>", party.name)


def _opportunity_rows(user, party):
    # A stand-in for a sales app's own rows: anything with a time column the user may read.
    return Event.objects.visible_to(user).for_party(party).filter(type="party.created")


class RegistryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = party_actions.create_party(
            acting_user=cls.owner, values={"kind": Kind.ORGANISATION, "name": "Siam Pumps"}
        )

    def setUp(self):
        # What a sales app's AppConfig.ready() would do.
        register_tab("opportunities", "Opportunities", _opportunities_tab, order=40,
                     permission="parties")  # fmt: skip
        register_timeline_source(
            TimelineSource("opportunity", "Opportunities", 90, "created_at", _opportunity_rows,
                           "core/_timeline_event.html")
        )  # fmt: skip
        self.addCleanup(unregister_tab, "opportunities")
        self.addCleanup(unregister_timeline_source, "opportunity")
        self.url = reverse("parties:detail", args=[self.party.public_id])

    def test_a_registered_tab_shows_on_the_party_page(self):
        self.login(self.owner)
        response = self.client.get(self.url)
        self.assertContains(response, "tab=opportunities")
        response = self.client.get(self.url, {"tab": "opportunities"})
        self.assertContains(response, "Opportunities of Siam Pumps")

    def test_a_registered_timeline_source_is_merged_into_the_timeline(self):
        items, _cursor = timeline.page(self.owner, self.party)
        self.assertIn("opportunity", [i.kind for i in items])
        self.assertIn(("opportunity", "Opportunities"), timeline.kind_choices())
        self.login(self.owner)
        response = self.client.get(self.url, {"tab": "timeline", "kind": "opportunity"})
        self.assertContains(response, "party.created")
        # Its rows are read through the policy: an outsider gets none (nor the page: 404).
        self.assertEqual(timeline.page(self.outsider, self.party, kinds=["opportunity"])[0], [])

    def test_ranks_are_unique(self):
        with self.assertRaises(ValueError):
            register_timeline_source(
                TimelineSource("other", "Other", 90, "created_at", _opportunity_rows, "x.html")
            )

    def test_the_built_in_sources_and_tabs_come_from_the_apps(self):
        kinds = [k for k, _label in timeline.kind_choices()]
        self.assertEqual(
            kinds[:8],
            ["interaction", "appointment", "task", "note", "followup", "file", "history", "event"],
        )
        from mitra.parties.tabs import tabs_for

        keys = [t.key for t in tabs_for(self.owner, self.party)]
        for key in ("overview", "timeline", "profile", "contacts", "history"):
            self.assertIn(key, keys)
