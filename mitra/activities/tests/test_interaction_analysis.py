import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from ..models import Lookup
from .factories import make_interaction, make_lookup, make_party

URL = reverse("activities:interaction_analysis")


class InteractionAnalysisTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        facebook = make_lookup(Lookup.Kind.MEDIUM, "Facebook")
        website = make_lookup(Lookup.Kind.MEDIUM, "Website")
        ordered = make_lookup(Lookup.Kind.RESULT, "Ordered")
        late = make_lookup(Lookup.Kind.REASON, "Late delivery")
        for _i in range(3):
            make_interaction(cls.owner, party, medium=facebook, result=ordered, reason=late)
        make_interaction(cls.teammate, party, medium=website, channel="visit")
        old = timezone.now() - dt.timedelta(days=400)
        make_interaction(cls.owner, party, medium=website, occurred_at=old)
        make_interaction(cls.outsider, make_party(cls.outsider, "Beta Co"), medium=facebook)

    def table(self, response, key):
        t = next(t for t in response.context["tables"] if t["key"] == key)
        return {str(r["label"]): r["n"] for r in t["rows"]}

    def test_it_counts_by_medium_result_reason_user_and_channel_over_the_period(self):
        self.login(self.teammate)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        # The outsider's interaction and the one from 400 days ago are not counted.
        self.assertEqual(self.table(response, "medium"), {"Facebook": 3, "Website": 1})
        self.assertEqual(self.table(response, "result"), {"Ordered": 3, "(none)": 1})
        self.assertEqual(self.table(response, "reason"), {"Late delivery": 3, "(none)": 1})
        self.assertEqual(self.table(response, "user"), {str(self.owner): 3, str(self.teammate): 1})
        self.assertEqual(self.table(response, "channel"), {"Phone": 3, "Visit": 1})
        self.assertEqual(response.context["total"], 4)

    def test_it_widens_the_period_on_request(self):
        self.login(self.teammate)
        start = (timezone.localdate() - dt.timedelta(days=500)).isoformat()
        response = self.client.get(URL, {"start": start})
        self.assertEqual(self.table(response, "medium"), {"Facebook": 3, "Website": 2})

    def test_it_counts_per_month_in_the_users_calendar(self):
        self.teammate.calendar = "jalali"
        self.teammate.save()
        self.login(self.teammate)
        response = self.client.get(URL)
        trend = response.context["trend"]
        self.assertEqual(len(trend), 12)
        self.assertEqual(sum(n for _label, n in trend), 4)

    def test_it_puts_the_chart_spec_in_a_json_block_not_a_script(self):
        self.login(self.teammate)
        response = self.client.get(URL, {"by": "result"})
        self.assertContains(response, '<script id="chart-spec" type="application/json">')
        self.assertContains(response, "vega-embed.min.js")
        self.assertEqual(
            response.context["chart"]["data"]["values"][0], {"label": "Ordered", "count": 3}
        )

    def test_it_refuses_users_without_the_module(self):
        self.login(self.portal)
        self.assertEqual(self.client.get(URL).status_code, 403)
