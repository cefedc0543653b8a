import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .. import actions
from ..models import FollowUp
from .factories import make_party

URL = reverse("activities:followups")


class FollowUpListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.due = make_party(cls.owner, "Due Lead", team=cls.p.alpha)
        cls.later = make_party(cls.owner, "Later Lead", team=cls.p.alpha)
        actions.record_followup(cls.due, acting_user=cls.owner, result="Called", next_date=today)
        actions.record_followup(
            cls.later,
            acting_user=cls.owner,
            result="Called",
            next_date=today + dt.timedelta(days=9),
        )
        actions.record_followup(cls.later, acting_user=cls.owner, result="Bought", led_to_sale=True)
        beta = make_party(cls.outsider, "Beta Lead", team=cls.p.beta)
        actions.record_followup(beta, acting_user=cls.outsider, result="Beta", next_date=today)

    def test_it_lists_follow_ups_due_now(self):
        self.login(self.teammate)
        response = self.client.get(URL)
        self.assertEqual([f.party.name for f in response.context["page"]], ["Due Lead"])

    def test_it_shows_effectiveness_and_hides_other_teams(self):
        self.login(self.teammate)
        response = self.client.get(URL, {"show": "all"})
        self.assertEqual(response.context["effectiveness"], {"total": 3, "won": 1, "share": 33.3})
        self.assertNotContains(response, "Beta Lead")

    def test_it_shows_a_partys_chain(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("activities:followup_chain", args=[self.later.public_id])
        )
        self.assertEqual([f.result for f in response.context["chain"]], ["Bought", "Called"])
        self.assertEqual(response.context["effectiveness"]["share"], 50.0)

    def test_it_is_a_404_for_an_outsider_on_a_chain(self):
        self.login(self.outsider)
        response = self.client.get(
            reverse("activities:followup_chain", args=[self.later.public_id])
        )
        self.assertEqual(response.status_code, 404)

    def test_it_records_a_follow_up_through_the_form_and_refuses_a_past_next_date(self):
        self.login(self.owner)
        create = reverse("activities:followup_create")
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        response = self.client.post(create, {"party": self.due.code, "followed_up_at_0": "2026-01-01",
                                             "followed_up_at_1": "10:00", "result": "x", "next_date": yesterday})  # fmt: skip
        self.assertContains(response, "cannot be in the past")
        self.assertEqual(FollowUp.objects.filter(party=self.due).count(), 1)
        response = self.client.post(create, {"party": self.due.code, "followed_up_at_0": "2026-01-01",
                                             "followed_up_at_1": "10:00", "result": "Agreed", "led_to_sale": "on"})  # fmt: skip
        self.assertRedirects(
            response, reverse("activities:followup_chain", args=[self.due.public_id])
        )
        self.assertTrue(FollowUp.objects.get(party=self.due, is_current=True).led_to_sale)

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.client.get(URL, {"show": "all"})
        with self.assertNumQueries(7) as ctx:
            self.client.get(URL, {"show": "all"})
        for i in range(10):
            actions.record_followup(
                make_party(self.owner, f"Lead {i}"), acting_user=self.owner, result="x"
            )
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(URL, {"show": "all"})
