from django.urls import reverse

from mitra.core.testing import BaseTestCase

from .factories import make_party


class PhoneBookTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_party(
            cls.p.owner, "Acme Co", phone="02 123 4567", email="info@acme.example", city="Bangkok"
        )
        make_party(cls.p.outsider, "Beta Secret", phone="02 999 9999")

    def test_it_shows_numbers_emails_and_addresses_in_scope(self):
        self.login(self.owner)
        r = self.client.get(reverse("parties:book"))
        self.assertContains(r, "02 123 4567")
        self.assertContains(r, "info@acme.example")
        self.assertContains(r, "Bangkok")
        self.assertNotContains(r, "Beta Secret")

    def test_it_searches(self):
        self.login(self.owner)
        r = self.client.get(reverse("parties:book"), {"q": "4567"})
        self.assertContains(r, "Acme Co")
        r = self.client.get(reverse("parties:book"), {"q": "nothing-like-this"})
        self.assertNotContains(r, "Acme Co")
