from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Interaction
from .factories import make_party

URL = reverse("activities:quick_log")


class QuickLogTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def test_it_renders_a_small_form_for_htmx(self):
        self.login(self.owner)
        response = self.client.get(
            URL, {"party": self.party.public_id}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="quick-log"')
        self.assertNotContains(response, "<html")

    def test_it_works_as_a_plain_page_too(self):
        self.login(self.owner)
        response = self.client.get(URL, {"party": self.party.public_id})
        self.assertContains(response, "<html")
        self.assertContains(response, "Siam Pumps")

    def test_it_logs_a_call_in_one_post_and_tells_the_timeline(self):
        self.login(self.owner)
        response = self.client.post(
            f"{URL}?party={self.party.public_id}",
            {"subject": "Called back", "channel": "phone", "direction": "in", "notes": "OK"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Trigger"], "activity-logged")
        interaction = Interaction.objects.get()
        self.assertEqual(interaction.subject, "Called back")
        self.assertEqual(
            list(interaction.targets.values_list("party_id", flat=True)), [self.party.pk]
        )

    def test_it_redirects_to_the_party_timeline_without_htmx(self):
        self.login(self.owner)
        response = self.client.post(
            f"{URL}?party={self.party.public_id}",
            {"subject": "Visit", "channel": "visit", "direction": "out"},
        )
        self.assertRedirects(
            response,
            reverse("parties:detail", args=[self.party.public_id]) + "?tab=timeline",
            fetch_redirect_response=False,
        )

    def test_it_keeps_the_form_with_errors_and_saves_nothing(self):
        self.login(self.owner)
        response = self.client.post(
            f"{URL}?party={self.party.public_id}",
            {"subject": "", "channel": "pigeon", "direction": "in"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "invalid-feedback")
        self.assertFalse(Interaction.objects.exists())

    def test_it_is_a_404_for_a_party_the_user_cannot_see(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(URL, {"party": self.party.public_id}).status_code, 404)
        self.assertEqual(
            self.client.post(f"{URL}?party={self.party.public_id}", {"subject": "x"}).status_code,
            404,
        )
        self.assertFalse(Interaction.objects.exists())
