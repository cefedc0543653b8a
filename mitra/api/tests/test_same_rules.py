"""One rule set: the same bad value through the web form and through the API gets the same
message, because the rule lives in the model (`clean()`) or the action both of them call."""

from django.urls import reverse
from django.utils.html import escape

from mitra.activities.models import Appointment
from mitra.activities.tests.test_appointment_create import URL as APPOINTMENT_FORM
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Address, Party
from mitra.parties.tests.factories import make_group, make_party
from mitra.parties.tests.test_create import form_data

API = "/api/v1"


class SameRulesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_party(cls.owner, name="Acme Co", code="ACME-1", team=cls.p.alpha)

    def setUp(self):
        self.login(self.owner)

    def api(self, path, body):
        r = self.client.post(f"{API}/{path}", body, content_type="application/json")
        self.assertEqual(r.status_code, 400, r.content)
        return r.json()["error"].get("fields", r.json())

    def same(self, form_response, api_fields, field, message):
        self.assertEqual(api_fields.get(field), [message], api_fields)
        self.assertContains(form_response, escape(message))

    def party_form(self, **values):
        return self.client.post(reverse("parties:create"), form_data(**values))

    def test_a_person_needs_a_first_or_last_name(self):
        message = "Enter a first or last name."
        form = self.party_form(kind="person", name="", first_name="", last_name="")
        api = self.api("parties/", {"kind": "person", "first_name": "", "last_name": ""})
        self.same(form, api, "first_name", message)

    def test_an_organisation_needs_its_name(self):
        form = self.party_form(name="")
        api = self.api("parties/", {"kind": "organisation", "name": " "})
        self.same(form, api, "name", "Enter the organisation's name.")

    def test_the_currency_is_a_three_letter_code(self):
        message = "Use a three-letter currency code such as THB, IRR or USD."
        form = self.party_form(currency="b1")
        api = self.api("parties/", {"kind": "organisation", "name": "X", "currency": "b1"})
        self.same(form, api, "currency", message)

    def test_a_code_is_one_partys_only(self):
        form = self.party_form(code="acme-1")
        api = self.api("parties/", {"kind": "organisation", "name": "X", "code": "acme-1"})
        self.same(form, api, "code", "Another party already has this code.")
        self.assertEqual(Party.all_objects.count(), 1)

    def test_coordinates_are_in_range_and_come_in_pairs(self):
        party = str(self.acme.public_id)
        for values, field, message in (
            ({"latitude": "123", "longitude": "100"}, "latitude", "Latitude is between -90 and 90."),
            ({"latitude": "13", "longitude": "200"}, "longitude",
             "Longitude is between -180 and 180."),
            ({"latitude": "13", "longitude": ""}, "longitude", "Give both coordinates or neither."),
        ):  # fmt: skip
            with self.subTest(field=field, message=message):
                form = self.party_form(**{f"addr-0-{k}": v for k, v in values.items()})
                body = {k: v or None for k, v in values.items()}
                api = self.api("addresses/", {"party": party, "kind": "billing", **body})
                self.same(form, api, field, message)
        self.assertFalse(Address.objects.exists())

    def test_a_phone_an_email_and_a_web_address_must_look_like_one(self):
        party = str(self.acme.public_id)
        for kind, entry, field, message in (
            ("phone", "call me maybe", "number", "This does not look like a phone number."),
            ("email", "nobody-at-example", "value", "Enter a valid email address."),
            ("website", "not a web address", "value", "Enter a valid web address."),
        ):
            with self.subTest(kind=kind):
                form = self.party_form(**{"cp-1-kind": kind, "cp-1-entry": entry})
                api = self.api("contact-points/", {"party": party, "kind": kind, field: entry})
                self.same(form, api, field, message)
        self.assertFalse(self.acme.contact_points.exists())

    def test_a_group_name_is_one_per_level(self):
        make_group("Industry")
        self.login(self.admin)  # groups are shared configuration
        form = self.client.post(reverse("parties:group_create"), {"name": "industry "})
        api = self.api("party-groups/", {"name": "INDUSTRY", "parent": None})
        self.same(form, api, "name", "A group with this name is already there.")

    def test_a_country_is_a_two_letter_code(self):
        # The form offers a list of countries; the API takes the code and says what it wants.
        api = self.api(
            "addresses/", {"party": str(self.acme.public_id), "kind": "billing", "country": "T1"}
        )
        self.assertEqual(api["country"], ["Use the two-letter country code, such as TH or IR."])
        ok = self.client.post(f"{API}/addresses/", {"party": str(self.acme.public_id),
                              "kind": "billing", "country": " th"}, content_type="application/json")  # fmt: skip
        self.assertEqual((ok.status_code, ok.json()["country"]), (201, "TH"))

    def test_an_appointment_ends_after_it_starts(self):
        form = self.client.post(
            APPOINTMENT_FORM,
            {"subject": "Demo", "start_0": "2026-03-02", "start_1": "10:30",
             "end_0": "2026-03-02", "end_1": "09:00", "participants": [self.owner.pk]},
        )  # fmt: skip
        api = self.api(
            "appointments/",
            {"subject": "Demo", "start": "2026-03-02T10:30:00Z", "end": "2026-03-02T09:00:00Z"},
        )
        self.same(form, api, "end", "The end is before the start.")
        self.assertFalse(Appointment.objects.exists())
