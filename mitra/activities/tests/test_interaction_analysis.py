import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from ..models import LookupKind
from .factories import make_interaction, make_lookup, make_party

URL = reverse("activities:interaction_analysis")


class InteractionAnalysisTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        facebook = make_lookup(LookupKind.MEDIUM, "Facebook")
        website = make_lookup(LookupKind.MEDIUM, "Website")
        ordered = make_lookup(LookupKind.RESULT, "Ordered")
        late = make_lookup(LookupKind.REASON, "Late delivery")
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
        # The default period is the last 90 days: three or four months, not a fixed year.
        self.assertIn(len(trend), (3, 4))
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


class AnalysisTrendFollowsThePeriodTests(BaseTestCase):
    """The monthly chart covers the chosen period, month by month in the user's calendar."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from mitra.core.calendars import from_calendar

        party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

        def at(y, m, d):
            day = from_calendar(y, m, d, "jalali")
            return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)

        for when in [(1404, 1, 5), (1404, 1, 15), (1404, 2, 20), (1404, 2, 31), (1404, 4, 2)]:
            make_interaction(cls.owner, party, occurred_at=at(*when))
        make_interaction(
            cls.outsider, make_party(cls.outsider, "Beta Co"), occurred_at=at(1404, 2, 1)
        )
        cls.owner.calendar = "jalali"
        cls.owner.save()

    def test_the_months_are_those_of_the_period_with_the_counts_in_the_chart(self):
        self.login(self.owner)
        r = self.client.get(URL, {"start": "1404-01-10", "end": "1404-03-31"})
        trend = r.context["trend"]
        labels = [label for label, _n in trend]
        self.assertEqual(len(labels), 3)
        for label, month in zip(labels, ("Farvardin", "Ordibehesht", "Khordad"), strict=True):
            self.assertIn(month, label)
            self.assertIn("1404", label)
        # 1404-01-05 is before the period, 1404-04-02 after it; the outsider's is not seen.
        self.assertEqual([n for _label, n in trend], [1, 2, 0])
        # The chart draws exactly these numbers.
        values = r.context["trend_chart"]["data"]["values"]
        self.assertEqual([(v["label"], v["count"]) for v in values], trend)
        self.assertEqual(sum(n for _l, n in trend), r.context["total"])

    def test_a_shorter_period_gives_fewer_months(self):
        self.login(self.owner)
        r = self.client.get(URL, {"start": "1404-02-01", "end": "1404-02-31"})
        self.assertEqual([n for _label, n in r.context["trend"]], [2])
        self.assertContains(r, "Interactions per month")

    def test_a_period_of_many_years_is_shown_by_year(self):
        self.login(self.owner)
        r = self.client.get(URL, {"start": "1399-01-01", "end": "1404-12-29"})
        trend = r.context["trend"]
        self.assertEqual([label for label, _n in trend], [str(y) for y in range(1399, 1405)])
        self.assertEqual(trend[-1][1], 5)
        self.assertContains(r, "Interactions per year")
