"""Caller ID: a number in any shape finds the parties the user may see, in one query."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.callerid import lookup
from mitra.parties.models import PartyRole

from .factories import make_as_typed


class CallerIdTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.somchai = make_as_typed(
            cls.owner, "สมชาย ใจดี", phones=["081-234-5678"], team=cls.p.alpha
        )
        PartyRole.objects.create(party=cls.somchai, role="customer")
        cls.reza = make_as_typed(
            cls.owner, "رضا احمدی", phones=["+98 912 345 6789"], team=cls.p.alpha
        )
        cls.beta = make_as_typed(cls.outsider, "Beta Co", phones=["02 555 0199"], team=cls.p.beta)

    def names(self, user, number, region=None):
        return [m["name"] for m in lookup(user, number, region=region)]

    def test_it_matches_a_number_in_any_format(self):
        for number in (
            "0812345678", "081 234 5678", "(081) 234-5678", "+66 81 234 5678", "+66812345678",
            "0066812345678", "66812345678", "812345678",
        ):  # fmt: skip
            self.assertEqual(self.names(self.owner, number), ["สมชาย ใจดี"], number)

    def test_it_matches_thai_and_persian_digits(self):
        self.assertEqual(self.names(self.owner, "๐๘๑-๒๓๔-๕๖๗๘"), ["สมชาย ใจดี"])
        self.assertEqual(self.names(self.owner, "۰۸۱۲۳۴۵۶۷۸"), ["สมชาย ใจดี"])
        self.assertEqual(self.names(self.owner, "۰۹۱۲ ۳۴۵ ۶۷۸۹"), ["رضا احمدی"])

    def test_it_matches_a_national_number_of_another_country(self):
        # Iranian number without its country code, on a Thai exchange: tried in every
        # configured country.
        self.assertEqual(self.names(self.owner, "09123456789"), ["رضا احمدی"])
        self.assertEqual(self.names(self.owner, "9123456789", region="IR"), ["رضا احمدی"])

    def test_it_never_shows_an_outsider_anothers_parties(self):
        self.assertEqual(self.names(self.outsider, "0812345678"), [])
        self.assertEqual(self.names(self.owner, "025550199"), [])
        self.assertEqual(self.names(self.outsider, "025550199"), ["Beta Co"])
        self.assertEqual(self.names(self.portal, "0812345678"), [])

    def test_it_summarises_each_match(self):
        [match] = lookup(self.owner, "0812345678")
        self.assertEqual(match["code"], self.somchai.code)
        self.assertEqual(match["roles"], ["customer"])
        self.assertEqual(match["matched"]["e164"], "+66812345678")
        self.assertEqual(match["matched"]["value"], "081-234-5678")
        self.assertEqual(match["url"], reverse("parties:detail", args=[self.somchai.public_id]))

    def test_it_ignores_what_is_not_a_number(self):
        self.assertEqual(lookup(self.owner, ""), [])
        self.assertEqual(lookup(self.owner, "12"), [])
        self.assertEqual(lookup(self.owner, "hello"), [])

    def test_it_answers_in_one_query(self):
        with self.assertNumQueries(1):
            self.assertEqual(len(lookup(self.admin, "0812345678")), 1)
        with self.assertNumQueries(1):
            self.assertEqual(lookup(self.admin, "0899999999"), [])


class CallerIdEndpointTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.somchai = make_as_typed(cls.owner, "สมชาย ใจดี", phones=["081-234-5678"])

    def test_it_returns_matches_as_json(self):
        self.login(self.owner)
        response = self.client.get(reverse("parties:caller_id"), {"number": "๐๘๑ ๒๓๔ ๕๖๗๘"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual([m["name"] for m in data["matches"]], ["สมชาย ใจดี"])
        self.assertIn("+66812345678", data["candidates"])

    def test_it_hides_other_peoples_parties(self):
        self.login(self.outsider)
        response = self.client.get(reverse("parties:caller_id"), {"number": "0812345678"})
        self.assertEqual(response.json()["matches"], [])

    def test_it_wants_a_signed_in_user_and_a_number(self):
        response = self.client.get(reverse("parties:caller_id"), {"number": "0812345678"})
        self.assertEqual(response.status_code, 401)
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("parties:caller_id")).status_code, 400)
