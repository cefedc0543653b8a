"""Language, calendar, digits and country are separate preferences (issue 9, part 6)."""

from django.test import override_settings
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import ContactPoint, Party
from mitra.parties.tests.factories import make_party
from mitra.parties.tests.test_edit import edit_data
from mitra.users.models import User


class LanguageSwitchKeepsTheCalendarTest(BaseTestCase):
    def switch(self, language):
        r = self.client.post(
            reverse("set_language"), {"language": language, "next": reverse("preferences")}
        )
        self.assertRedirects(r, reverse("preferences"))
        r = self.client.get(reverse("preferences"))
        self.user.refresh_from_db()
        # "Today in your calendar: <strong><bdi>5 December 2026</bdi></strong>"
        return r.content.decode().split("<strong><bdi>")[-1].split("</bdi>")[0]

    def test_en_th_fa_en_keeps_the_calendar_the_user_chose(self):
        self.user = self.login(self.owner)
        r = self.client.post(
            reverse("preferences"),
            {"language": "en", "calendar": "gregorian", "digits": "latin", "time_zone": "UTC"},
        )
        self.assertRedirects(r, reverse("preferences"))
        for language in ("en", "th", "fa", "en"):
            page = self.switch(language)
            self.assertEqual(self.user.language, language)
            self.assertEqual((self.user.calendar, self.user.digits), ("gregorian", "latin"))
            # Today in Gregorian years and Latin digits in every language, never 25xx.
            self.assertRegex(page, r"\b20\d\d$")

    def test_a_chosen_buddhist_era_stays_through_persian(self):
        self.user = self.login(self.owner)
        self.client.post(
            reverse("preferences"),
            {"language": "th", "calendar": "buddhist", "digits": "latin", "time_zone": "UTC"},
        )
        for language in ("en", "fa", "th", "en"):
            self.switch(language)
            self.assertEqual(self.user.calendar, "buddhist")

    def test_a_new_user_picking_persian_first_gets_jalali_and_persian_digits(self):
        self.user = self.login(self.owner)
        self.assertFalse(self.owner.calendar_chosen)
        page = self.switch("fa")
        self.assertEqual((self.user.calendar, self.user.digits), ("jalali", "native"))
        self.assertTrue(self.user.calendar_chosen)
        self.assertRegex(page, "۱۴۰[۵۶]$")  # the Jalali year in Persian digits
        # The first pick decided; later switches change the language only.
        self.switch("th")
        self.switch("en")
        self.assertEqual((self.user.language, self.user.calendar), ("en", "jalali"))

    def test_a_new_user_picking_thai_first_gets_the_buddhist_era(self):
        self.user = self.login(self.owner)
        self.switch("th")
        self.assertEqual((self.user.calendar, self.user.digits), ("buddhist", "latin"))
        self.switch("fa")
        self.assertEqual((self.user.language, self.user.calendar), ("fa", "buddhist"))

    def test_a_new_user_picking_english_first_keeps_gregorian(self):
        self.user = self.login(self.owner)
        self.switch("en")
        self.switch("th")
        self.switch("fa")
        self.assertEqual((self.user.calendar, self.user.digits), ("gregorian", "latin"))


class PreferencesPageTest(BaseTestCase):
    def test_it_has_language_calendar_digits_time_zone_and_country(self):
        self.login(self.owner)
        r = self.client.get(reverse("preferences"))
        for name in ("language", "calendar", "digits", "time_zone", "country"):
            self.assertContains(r, f'name="{name}"')

    def test_changing_only_the_language_on_the_page_keeps_the_calendar_once_chosen(self):
        self.login(self.owner)
        data = {"language": "en", "calendar": "gregorian", "digits": "latin", "time_zone": "UTC"}
        self.client.post(reverse("preferences"), data)
        self.client.post(reverse("preferences"), {**data, "language": "fa"})
        self.owner.refresh_from_db()
        self.assertEqual((self.owner.language, self.owner.calendar), ("fa", "gregorian"))

    def test_the_country_is_saved_and_an_unknown_one_refused(self):
        self.login(self.owner)
        data = {"language": "en", "calendar": "gregorian", "digits": "latin", "time_zone": "UTC"}
        r = self.client.post(reverse("preferences"), {**data, "country": "XX"})
        self.assertEqual(r.status_code, 200)
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.country, "")
        self.client.post(reverse("preferences"), {**data, "country": "IR"})
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.country, "IR")

    def test_country_names_follow_the_language(self):
        self.owner.language = "fa"
        self.owner.save()
        self.login(self.owner)
        r = self.client.get(reverse("preferences"))
        self.assertContains(r, ">ایران<")
        self.owner.language = "th"
        self.owner.save()
        self.assertContains(self.client.get(reverse("preferences")), ">อิหร่าน<")


class AdminUserFormTest(BaseTestCase):
    def data(self, **extra):
        return {
            "username": "parisa",
            "password": "a much longer secret 42",
            "role": self.p.roles["owner"].pk,
            "language": "fa",
            "calendar": "",
            "digits": "",
            "time_zone": "Asia/Tehran",
            "country": "",
            "is_active": "on",
            **extra,
        }

    def test_it_has_language_calendar_digits_time_zone_and_country(self):
        self.login(self.admin)
        r = self.client.get(reverse("users:create"))
        for name in ("language", "calendar", "digits", "time_zone", "country"):
            self.assertContains(r, f'name="{name}"')

    def test_a_new_user_left_as_the_language_gets_its_calendar_and_digits(self):
        self.login(self.admin)
        r = self.client.post(reverse("users:create"), self.data())
        user = User.objects.get(username="parisa")
        self.assertRedirects(r, reverse("users:detail", args=[user.public_id]))
        self.assertEqual((user.calendar, user.digits), ("jalali", "native"))
        self.assertEqual(user.time_zone, "Asia/Tehran")
        self.assertFalse(user.calendar_chosen)

    def test_a_calendar_chosen_by_the_administrator_is_kept_when_the_user_switches(self):
        self.login(self.admin)
        self.client.post(reverse("users:create"), self.data(calendar="gregorian", country="DE"))
        user = User.objects.get(username="parisa")
        self.assertEqual((user.calendar, user.digits, user.country), ("gregorian", "native", "DE"))
        self.assertTrue(user.calendar_chosen)
        self.client.force_login(user)
        self.client.post(reverse("set_language"), {"language": "th", "next": "/"})
        user.refresh_from_db()
        self.assertEqual((user.language, user.calendar), ("th", "gregorian"))

    def test_the_user_page_shows_digits_time_zone_and_country(self):
        self.owner.country, self.owner.digits, self.owner.time_zone = "DE", "native", "Asia/Tehran"
        self.owner.save()
        self.admin.language = "fa"
        self.admin.save()
        self.login(self.admin)
        r = self.client.get(reverse("users:detail", args=[self.owner.public_id]))
        self.assertContains(r, "آلمان")
        self.assertContains(r, "Asia/Tehran")
        self.assertContains(r, "ارقام")

    def test_editing_a_users_calendar_and_digits(self):
        self.login(self.admin)
        data = self.data(username="owner", password="", role=self.p.roles["owner"].pk)
        data.update(language="en", calendar="buddhist", digits="latin", time_zone="UTC")
        r = self.client.post(reverse("users:edit", args=[self.owner.public_id]), data)
        self.assertEqual(r.status_code, 302)
        self.owner.refresh_from_db()
        self.assertEqual((self.owner.calendar, self.owner.digits), ("buddhist", "latin"))
        self.assertTrue(self.owner.calendar_chosen)


@override_settings(PHONE_REGION="TH", PHONE_REGIONS=("TH",))
class PhoneCountryTest(BaseTestCase):
    """A Persian user's phones without a country code are Iranian, not Thai."""

    def setUp(self):
        self.owner.language = "fa"
        self.owner.save()

    def test_the_phone_form_stores_an_iranian_number_in_e164(self):
        party = make_party(self.owner, "Kourosh Co")
        self.login(self.owner)
        r = self.client.get(reverse("parties:edit", args=[party.public_id]))
        self.assertContains(r, 'placeholder="98"')
        data = edit_data(party)
        data.update(
            {
                "cp-TOTAL_FORMS": "1",
                "cp-INITIAL_FORMS": "0",
                "cp-0-kind": "mobile",
                "cp-0-entry": "09121234567",
            }
        )
        r = self.client.post(reverse("parties:edit", args=[party.public_id]), data)
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        cp = ContactPoint.objects.get(party=party)
        self.assertEqual(cp.e164, "+989121234567")

    def test_persian_digits_are_read_too(self):
        party = make_party(self.owner, "Kourosh Co")
        self.login(self.owner)
        data = edit_data(party)
        data.update({"cp-TOTAL_FORMS": "1", "cp-INITIAL_FORMS": "0"})
        data.update({"cp-0-kind": "mobile", "cp-0-entry": "۰۹۱۲ ۱۲۳ ۴۵۶۷"})
        self.client.post(reverse("parties:edit", args=[party.public_id]), data)
        self.assertEqual(ContactPoint.objects.get(party=party).e164, "+989121234567")

    def test_caller_id_reads_a_local_number_as_iranian(self):
        party = make_party(self.owner, "Kourosh Co")
        ContactPoint.objects.create(party=party, kind="mobile", value="+98 912 123 4567")
        self.login(self.owner)
        r = self.client.get(reverse("parties:caller_id"), {"number": "09121234567"})
        data = r.json()
        self.assertIn("+989121234567", data["candidates"])
        self.assertEqual([m["name"] for m in data["matches"]], ["Kourosh Co"])

    def test_a_thai_speaking_user_keeps_the_company_country(self):
        self.owner.language = "th"
        self.owner.save()
        party = make_party(self.owner, "Siam Co")
        ContactPoint.objects.create(party=party, kind="mobile", value="+66 81 234 5678")
        self.login(self.owner)
        r = self.client.get(reverse("parties:caller_id"), {"number": "0812345678"})
        self.assertEqual([m["name"] for m in r.json()["matches"]], ["Siam Co"])

    def test_the_users_own_country_wins(self):
        self.owner.country = "TH"
        self.owner.save()
        self.login(self.owner)
        r = self.client.get(reverse("parties:caller_id"), {"number": "0812345678"})
        self.assertIn("+66812345678", r.json()["candidates"])
        self.assertNotIn("+989121234567", r.json()["candidates"])

    def test_outside_a_request_the_company_country_applies(self):
        self.assertEqual(User(language="fa").phone_region, "IR")
        self.assertIsNone(User(language="en").phone_region)
        party = Party.objects.create(owner=self.owner, kind="organisation", name="x")
        cp = ContactPoint.objects.create(party=party, kind="mobile", number="0812345678")
        self.assertEqual(cp.e164, "+66812345678")
