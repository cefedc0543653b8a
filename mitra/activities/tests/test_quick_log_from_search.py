"""C1: quick-log an interaction from a global search result."""

from django.urls import reverse

from mitra.activities.models import Interaction
from mitra.core.testing import BaseTestCase
from mitra.parties.tests.factories import make_party


class QuickLogFromSearchTest(BaseTestCase):
    def test_it_offers_a_log_button_on_each_party_hit_and_logs(self):
        party = make_party(self.owner, "Siam Rice Co", phone="021234567")
        self.login(self.owner)
        r = self.client.get(reverse("search"), {"q": "Siam"})
        link = f"{reverse('activities:quick_log')}?party={party.public_id}"
        self.assertContains(r, link)
        r = self.client.get(link)
        self.assertEqual(r.status_code, 200)

    def test_no_button_without_the_right_to_log(self):
        make_party(self.owner, "Siam Rice Co")
        self.login(self.readonly)
        r = self.client.get(reverse("search"), {"q": "Siam"})
        self.assertContains(r, "Siam Rice Co")
        self.assertNotContains(r, reverse("activities:quick_log"))
        self.assertFalse(Interaction.objects.exists())
