import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from mitra.activities import ics
from mitra.core import ics as core_ics
from mitra.core.testing import BaseTestCase
from mitra.reminders.models import FeedToken

from .factories import make_appointment


def aware(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


class CalendarFeedTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        soon = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
        cls.start = soon
        cls.appt = make_appointment(
            cls.owner, soon, minutes=90,
            subject="Demo; pumps, valves \\ pipes",
            place="Korat, Thailand",
            description="Bring the catalogue\nand the price list",
        )  # fmt: skip
        cls.thai = make_appointment(
            cls.owner, soon + dt.timedelta(hours=3),
            subject="ประชุมกับลูกค้าเรื่องใบเสนอราคาระบบปั๊มน้ำสำหรับโรงงานแห่งใหม่ที่นครราชสีมา",
        )  # fmt: skip
        cls.other = make_appointment(cls.teammate, soon, subject="Teammate's own")

    def feed_url(self):
        self.login(self.owner)
        response = self.client.post(reverse("activities:calendar_feed_settings"))
        url = response.context["url"]
        self.client.logout()
        return url

    def test_the_feed_is_readable_without_a_session(self):
        url = self.feed_url()
        self.assertTrue(url.startswith("http://testserver/activities/calendar/feed/"))
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))
        self.assertEqual(body.count("BEGIN:VEVENT"), 2)
        self.assertNotIn("Teammate", body)
        unfolded = body.replace("\r\n ", "")
        self.assertIn(f"UID:{self.appt.public_id}@mitra-crm", unfolded)
        self.assertIn(f"DTSTART:{self.start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}", unfolded)
        end = self.start + dt.timedelta(minutes=90)
        self.assertIn(f"DTEND:{end.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}", unfolded)
        self.assertIn("SUMMARY:Demo\\; pumps\\, valves \\\\ pipes", unfolded)
        self.assertIn("LOCATION:Korat\\, Thailand", unfolded)
        self.assertIn("DESCRIPTION:Bring the catalogue\\nand the price list", unfolded)
        self.assertIn("TRIGGER:-PT15M", unfolded)
        self.assertIn("ประชุมกับลูกค้าเรื่องใบเสนอราคาระบบปั๊มน้ำสำหรับโรงงานแห่งใหม่ที่นครราชสีมา", unfolded)
        for line in body.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, line)
        self.assertIsNotNone(FeedToken.objects.get(user=self.owner).last_used_at)

    def test_a_wrong_or_replaced_address_is_a_404(self):
        old = self.feed_url()
        self.assertEqual(self.client.get(old[:-10] + "x" * 6 + ".ics").status_code, 404)
        new = self.feed_url()
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)

    def test_the_feed_can_be_stopped(self):
        url = self.feed_url()
        self.login(self.owner)
        self.client.post(reverse("activities:calendar_feed_settings"), {"action": "revoke"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_inactive_user_has_no_feed(self):
        url = self.feed_url()
        self.owner.is_active = False
        self.owner.save()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_settings_page_shows_the_address_once(self):
        self.feed_url()
        self.login(self.owner)
        response = self.client.get(reverse("activities:calendar_feed_settings"))
        self.assertFalse(
            re.search(r"/activities/calendar/feed/[\w-]{20,}\.ics", response.content.decode())
        )
        self.assertContains(response, "Make a new address")


class IcsTest(BaseTestCase):
    def test_whole_day_events_are_dates_with_an_exclusive_end(self):
        appt = make_appointment(self.owner, aware(2025, 3, 20, 17, 0), subject="Nowruz")
        appt.all_day = True
        appt.end = aware(2025, 3, 21, 16, 59)  # 00:00–23:59 in Asia/Bangkok... next day
        lines = ics.event_lines(appt, tz=dt.timezone(dt.timedelta(hours=7)))
        self.assertIn("DTSTART;VALUE=DATE:20250321", lines)
        self.assertIn("DTEND;VALUE=DATE:20250322", lines)

    def test_folding_never_splits_a_character(self):
        line = "SUMMARY:" + "สวัสดี" * 30
        folded = core_ics.fold(line)
        for part in folded.split("\r\n"):
            self.assertLessEqual(len(part.encode()), 75)
        self.assertEqual(folded.replace("\r\n ", ""), line)
