"""Latin phones, extensions, emails, URLs and addresses keep their order on Persian pages:
each is isolated in <bdi> wherever parties are shown."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Address, ContactPoint

from .factories import make_party

PHONE = '<bdi dir="ltr">+66 2 123 4567</bdi>'
EXT = '<bdi dir="ltr">12</bdi>'
EMAIL = '<bdi dir="ltr">sales@acme.example</bdi>'
ADDRESS_FA = "<bdi>99 Sukhumvit Road, Khlong Toei, Bangkok, 10110, <bdi>تایلند</bdi></bdi>"


class BidiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co. (Bangkok)", email="sales@acme.example")
        ContactPoint.objects.create(
            party=cls.party,
            kind="phone",
            country_code="66",
            area_code="2",
            number="123 4567",
            extension="12",
            is_primary=True,
        )
        ContactPoint.objects.create(party=cls.party, kind="website", value="acme.example/th")
        Address.objects.create(
            party=cls.party,
            line1="99 Sukhumvit Road",
            district="Khlong Toei",
            city="Bangkok",
            postcode="10110",
            country="TH",
            is_primary=True,
        )

    def setUp(self):
        self.owner.language = "fa"
        self.owner.save()
        self.login(self.owner)

    def test_the_party_page_isolates_phones_extensions_emails_urls_and_addresses(self):
        r = self.client.get(reverse("parties:detail", args=[self.party.public_id]))
        self.assertContains(r, 'dir="rtl"')
        self.assertContains(r, PHONE)
        self.assertContains(r, EXT)
        self.assertContains(r, EMAIL)
        self.assertContains(r, '<bdi dir="ltr">acme.example/th</bdi>')
        self.assertContains(r, ADDRESS_FA)
        self.assertContains(
            r, '<bdi class="party-name" title="Acme Co. (Bangkok)">Acme Co. (Bangkok)</bdi>'
        )

    def test_the_list_isolates_names_phones_emails_and_cities(self):
        r = self.client.get(reverse("parties:list"))
        self.assertContains(r, "<bdi>Acme Co. (Bangkok)</bdi>")
        self.assertContains(r, PHONE)
        self.assertContains(r, EXT)
        self.assertContains(r, EMAIL)
        self.assertContains(r, '<td class="text-truncate text-start" dir="ltr"')
        self.assertContains(r, "<bdi>Bangkok</bdi>")

    def test_the_phone_book_isolates_numbers_and_addresses(self):
        r = self.client.get(reverse("parties:book"))
        self.assertContains(r, PHONE)
        self.assertContains(r, EXT)
        self.assertContains(r, EMAIL)
        self.assertContains(r, ADDRESS_FA)

    def test_search_results_isolate_titles_and_details(self):
        r = self.client.get(reverse("search"), {"q": "Acme"})
        self.assertContains(r, "<bdi>Acme Co. (Bangkok)</bdi>")
        self.assertContains(r, EMAIL)

    def test_the_caller_id_card_isolates_the_number(self):
        r = self.client.get(reverse("parties:caller_id"), {"number": "021234567", "format": "html"})
        self.assertContains(r, '<html lang="fa" dir="rtl">')
        self.assertContains(r, '<bdi dir="ltr">021234567</bdi>')
        self.assertContains(r, "<bdi>Acme Co. (Bangkok)</bdi>")
        self.assertContains(r, PHONE)
        # The JSON answer stays as it was.
        r = self.client.get(reverse("parties:caller_id"), {"number": "021234567"})
        self.assertEqual(r.json()["matches"][0]["name"], "Acme Co. (Bangkok)")

    def test_the_caller_id_card_alone_for_htmx(self):
        r = self.client.get(
            reverse("parties:caller_id"), {"number": "021234567"}, headers={"HX-Request": "true"}
        )
        self.assertContains(r, 'id="caller-id"')
        self.assertNotContains(r, "<html")
        self.assertContains(r, PHONE)
