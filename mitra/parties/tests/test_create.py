from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Address, ContactPoint, Kind, Party, PartyRole

from .factories import make_party


def form_data(**overrides):
    data = {
        "kind": "organisation",
        "name": "Siam Tech Co",
        "code": "",
        "stage": "prospect",
        "currency": "THB",
        "priority": "1",
        "is_active": "on",
        "roles": ["customer", "supplier"],
        "cp-TOTAL_FORMS": "2",
        "cp-INITIAL_FORMS": "0",
        "cp-0-kind": "phone",
        "cp-0-country_code": "66",
        "cp-0-area_code": "2",
        "cp-0-entry": "123 4567",
        "cp-0-extension": "12",
        "cp-0-is_primary": "on",
        "cp-1-kind": "email",
        "cp-1-entry": "Info@SiamTech.example",
        "addr-TOTAL_FORMS": "1",
        "addr-INITIAL_FORMS": "0",
        "addr-0-kind": "billing",
        "addr-0-line1": "99/1 ถนนสุขุมวิท",
        "addr-0-city": "กรุงเทพมหานคร",
        "addr-0-country": "th",
        "addr-0-latitude": "13.7367",
        "addr-0-longitude": "100.5231",
        "lang-TOTAL_FORMS": "1",
        "lang-INITIAL_FORMS": "0",
        "lang-0-language": "",
        "lang-0-level": "intermediate",
    }
    data.update(overrides)
    return data


class PartyCreateTests(BaseTestCase):
    url = reverse("parties:create")

    def test_it_creates_an_organisation_with_contact_points_and_addresses(self):
        self.login(self.owner)
        r = self.client.post(self.url, form_data())
        party = Party.objects.get(name="Siam Tech Co")
        self.assertRedirects(r, reverse("parties:detail", args=[party.public_id]))
        self.assertEqual(party.owner, self.owner)
        self.assertEqual(party.team, self.p.alpha)
        self.assertTrue(party.code.startswith("P"))
        self.assertEqual(sorted(party.role_values()), ["customer", "supplier"])
        phone = party.contact_points.get(kind="phone")
        self.assertEqual(
            (phone.value, phone.e164, phone.extension), ("+66 2 123 4567", "+6621234567", "12")
        )
        self.assertEqual(party.contact_points.get(kind="email").value, "info@siamtech.example")
        address = party.addresses.get()
        self.assertEqual((address.country, str(address.latitude)), ("TH", "13.736700"))
        self.assertIn("openstreetmap.org", address.map_url)
        self.assertEqual(party.history.count(), 1)
        self.assertEqual(party.history.first().history_user, self.owner)

    def test_it_creates_a_person_from_first_and_last_name(self):
        self.login(self.owner)
        data = form_data(
            kind="person", name="", first_name="مریم", last_name="کریمی", birth_date="1990-05-17"
        )
        self.client.post(self.url, data)
        party = Party.objects.get(kind=Kind.PERSON)
        self.assertEqual(party.name, "مریم کریمی")
        self.assertEqual(str(party.birth_date), "1990-05-17")

    def test_it_reports_errors_and_saves_nothing(self):
        self.login(self.owner)
        bad = form_data(
            name="",
            code="",
            currency="b1",
            **{"cp-0-entry": "not a phone", "cp-1-entry": "nobody-at-example", "addr-0-latitude": "123",
               "addr-0-country": "T1"},
        )  # fmt: skip
        r = self.client.post(self.url, bad)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Enter the organisation&#x27;s name.")
        self.assertContains(r, "This does not look like a phone number.")
        self.assertContains(r, "Enter a valid email address.")
        self.assertContains(r, "Latitude is between -90 and 90.")
        self.assertContains(r, "three-letter currency code")
        self.assertContains(r, "Choose a country from the list.")
        self.assertFalse(Party.all_objects.exists())
        self.assertFalse(ContactPoint.objects.exists())
        self.assertFalse(Address.objects.exists())

    def test_it_refuses_a_taken_code(self):
        make_party(self.owner, "First", code="ACME-1")
        self.login(self.owner)
        r = self.client.post(self.url, form_data(code="acme-1"))
        self.assertContains(r, "Another party already has this code.")
        self.assertEqual(Party.objects.count(), 1)

    def test_it_keeps_a_code_typed_by_hand(self):
        self.login(self.owner)
        self.client.post(self.url, form_data(code="VIP-007"))
        self.assertTrue(Party.objects.filter(code="VIP-007").exists())

    def test_it_warns_about_duplicates_and_creates_on_request(self):
        existing = make_party(self.owner, "Siam Tech Co.", phone="02 123 4567")
        self.login(self.owner)
        r = self.client.post(self.url, form_data())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "may already be in the database")
        self.assertContains(r, reverse("parties:detail", args=[existing.public_id]))
        self.assertEqual(Party.objects.count(), 1)
        r = self.client.post(self.url, form_data(create_anyway="1"))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Party.objects.count(), 2)

    def test_the_duplicate_warning_names_the_rule_and_the_matching_values(self):
        from mitra.dedupe.models import DuplicateRule

        DuplicateRule.objects.all().delete()
        DuplicateRule.objects.create(name="Same phone and name", fields=["phone", "name"])
        DuplicateRule.objects.create(name="Same email", fields=["email"])
        make_party(self.owner, "Siam Tech Co.", phone="02 123 4567")
        self.login(self.owner)
        r = self.client.post(self.url, form_data())
        self.assertContains(r, "may already be in the database")
        self.assertContains(r, "Rule “Same phone and name” matched:")
        self.assertContains(r, '<bdi class="fw-bold">+6621234567</bdi>')
        self.assertContains(r, "% alike")
        self.assertNotContains(r, "Same email")

    def test_it_does_not_reveal_other_teams_parties_as_duplicates(self):
        make_party(self.outsider, "Siam Tech Co", phone="02 123 4567")
        self.login(self.owner)
        r = self.client.post(self.url, form_data())
        self.assertEqual(r.status_code, 302)

    def test_it_refuses_users_who_may_not_create(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, form_data()).status_code, 403)
        self.assertFalse(Party.objects.exists())

    def test_it_shows_the_form(self):
        self.login(self.owner)
        r = self.client.get(self.url + "?kind=organisation")
        self.assertContains(r, "cp-__prefix__-entry")
        self.assertContains(r, 'value="organisation"')
        self.assertEqual(PartyRole.objects.count(), 0)


class PartyPhotoTests(BaseTestCase):
    def test_it_keeps_a_logo_and_serves_it_only_to_those_who_see_the_party(self):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
        logo = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
        self.login(self.owner)
        self.client.post(reverse("parties:create"), {**form_data(), "photo": logo})
        party = Party.objects.get()
        self.assertTrue(party.photo.name.endswith(".png"))
        url = reverse("parties:photo", args=[party.public_id])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_refuses_a_file_that_is_not_an_image(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.owner)
        fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
        r = self.client.post(reverse("parties:create"), {**form_data(), "photo": fake})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Party.objects.exists())
