import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from ..models import Channel, LookupKind
from .factories import make_interaction, make_lookup, make_party

URL = reverse("activities:interactions")


class InteractionListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.other = make_party(cls.teammate, "Chiang Mai Solar", team=cls.p.alpha)
        cls.beta_party = make_party(cls.outsider, "Tehran Trading", team=cls.p.beta)
        cls.won = make_lookup(LookupKind.RESULT, "Ordered", is_success=True)
        cls.mine = make_interaction(
            cls.owner, cls.party, "Price call", channel=Channel.PHONE, result=cls.won
        )
        cls.teammates = make_interaction(
            cls.teammate, cls.other, "Visit at the plant", channel=Channel.VISIT
        )
        cls.private = make_interaction(cls.teammate, cls.other, "Private chat", is_private=True)
        cls.beta = make_interaction(cls.outsider, cls.beta_party, "Beta secret call")

    def subjects(self, response):
        return [i.subject for i in response.context["page"]]

    def test_it_lists_what_the_team_may_see_and_hides_private_and_other_teams(self):
        self.login(self.readonly)
        subjects = self.subjects(self.client.get(URL))
        self.assertIn("Price call", subjects)
        self.assertIn("Visit at the plant", subjects)
        self.assertNotIn("Private chat", subjects)
        self.assertNotIn("Beta secret call", subjects)

    def test_it_shows_an_own_scope_user_only_their_interactions(self):
        self.login(self.owner)
        self.assertEqual(self.subjects(self.client.get(URL)), ["Price call"])

    def test_it_shows_the_outsider_nothing_of_alpha(self):
        self.login(self.outsider)
        response = self.client.get(URL)
        self.assertEqual(self.subjects(response), ["Beta secret call"])
        self.assertNotContains(response, "Siam Pumps")

    def test_it_filters_by_channel_result_user_period_and_party(self):
        self.login(self.teammate)
        self.assertEqual(
            self.subjects(self.client.get(URL, {"channel": "visit"})), ["Visit at the plant"]
        )
        self.assertEqual(
            self.subjects(self.client.get(URL, {"result": self.won.public_id})), ["Price call"]
        )
        self.assertEqual(
            sorted(self.subjects(self.client.get(URL, {"user": self.teammate.public_id}))),
            ["Private chat", "Visit at the plant"],
        )
        self.assertEqual(
            self.subjects(self.client.get(URL, {"party": self.party.code})), ["Price call"]
        )
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        self.assertEqual(self.subjects(self.client.get(URL, {"start": tomorrow})), [])

    def test_it_says_so_when_the_party_filter_matches_nothing(self):
        self.login(self.teammate)
        response = self.client.get(URL, {"party": "Tehran Trading"})
        self.assertEqual(self.subjects(response), [])
        self.assertContains(response, "No party matches")

    def test_it_pages_by_keyset(self):
        now = timezone.now()
        for i in range(55):
            make_interaction(
                self.owner, self.party, f"Bulk {i:02d}", occurred_at=now - dt.timedelta(hours=i + 1)
            )
        self.login(self.owner)
        first = self.client.get(URL)
        page = first.context["page"]
        self.assertEqual(len(page), 50)
        self.assertTrue(page.has_next)
        second = self.client.get(URL, {"after": page.next_cursor})
        rest = self.subjects(second)
        self.assertEqual(len(rest), 6)
        self.assertFalse(set(rest) & set(self.subjects(first)))

    def test_it_renders_the_rows_partial_for_htmx(self):
        self.login(self.owner)
        response = self.client.get(URL, headers={"HX-Request": "true", "HX-Target": "rows"})
        self.assertContains(response, 'id="rows"')
        self.assertNotContains(response, "<html")

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.client.get(URL)  # warm the session and the role
        with self.assertNumQueries(6) as few:
            self.client.get(URL)
        for i in range(20):
            make_interaction(self.teammate, self.other, f"More {i}")
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(URL)

    def test_it_refuses_users_without_the_module(self):
        self.login(self.portal)
        self.assertEqual(self.client.get(URL).status_code, 403)
