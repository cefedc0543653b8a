"""No task or appointment lands in the wrong century, through the forms and the API.

A Buddhist-era user who types a Gregorian year (2026-12-22) would have got a task due in
1483; a Jalali user typing 2026 one in 2647. Each is refused with both readings, and
nothing is saved; the date the message suggests is accepted.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from ..models import Appointment, Task
from .factories import make_party, make_task

TASKS_API = "/api/v1/tasks/"
APPOINTMENTS_API = "/api/v1/appointments/"


class DatePlausibilityFormTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def as_calendar(self, calendar, language="en", digits="latin"):
        self.owner.calendar, self.owner.language, self.owner.digits = calendar, language, digits
        self.owner.save()
        self.login(self.owner)

    def post_task(self, due):
        return self.client.post(
            reverse("activities:task_create"),
            {"title": "Yearly check", "parties": self.party.code, "assignee": self.owner.pk,
             "due_at_0": due, "due_at_1": "10:00", "priority": "2", "status": "not_started"},
        )  # fmt: skip

    def post_appointment(self, day):
        return self.client.post(
            reverse("activities:appointment_create"),
            {"subject": "Demo", "start_0": day, "start_1": "10:00", "end_0": day, "end_1": "11:00",
             "participants": [self.owner.pk], "parties": self.party.code, "reminder_minutes": "30"},
        )  # fmt: skip

    def test_a_buddhist_era_user_typing_a_gregorian_year_gets_no_task_in_1483(self):
        self.as_calendar("buddhist")
        response = self.post_task("2026-12-22")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "2026 is a Gregorian year; in the Buddhist era that is 2569 "
            "— did you mean 22 December 2569?",
        )
        self.assertFalse(Task.objects.exists())
        self.assertContains(response, 'value="2026-12-22"')  # what was typed stays
        response = self.post_task("2569-12-22")
        self.assertEqual(response.status_code, 302)
        due = timezone.localtime(Task.objects.get().due_at)
        self.assertEqual(due.date(), dt.date(2026, 12, 22))

    def test_a_buddhist_era_user_typing_a_gregorian_year_gets_no_appointment_in_1483(self):
        self.as_calendar("buddhist", "th", "native")
        response = self.post_appointment("๒๐๒๖-๑๒-๒๒")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "๒๕๖๙")
        self.assertFalse(Appointment.objects.exists())
        self.assertEqual(self.post_appointment("๒๕๖๙-๑๒-๒๒").status_code, 302)
        self.assertEqual(
            timezone.localtime(Appointment.objects.get().start).date(), dt.date(2026, 12, 22)
        )

    def test_a_jalali_user_typing_a_gregorian_year_gets_no_task_in_2647(self):
        self.as_calendar("jalali")
        response = self.post_task("2026-12-22")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "2026 is a Gregorian year; in the Persian calendar that is 1405 "
            "— did you mean 1 Dey 1405?",
        )
        self.assertFalse(Task.objects.exists())
        self.assertEqual(self.post_task("1405-10-01").status_code, 302)
        self.assertEqual(
            timezone.localtime(Task.objects.get().due_at).date(), dt.date(2026, 12, 22)
        )

    def test_a_jalali_user_gets_no_appointment_on_a_day_esfand_lacks(self):
        self.as_calendar("jalali", "fa", "native")
        response = self.post_appointment("۱۴۰۴/۱۲/۳۰")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Appointment.objects.exists())
        self.assertContains(response, "۲۹")  # Esfand 1404 has 29 days
        response = self.post_appointment("۲۰۲۶/۱۲/۲۲")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "۱۴۰۵")
        self.assertFalse(Appointment.objects.exists())

    def test_a_gregorian_user_typing_a_buddhist_year_is_asked(self):
        self.as_calendar("gregorian")
        response = self.post_task("2569-12-22")
        self.assertContains(response, "2569 is a Buddhist-era year")
        self.assertContains(response, "did you mean 22 December 2026?")
        self.assertFalse(Task.objects.exists())

    def test_a_party_birth_date_in_the_wrong_century_is_refused(self):
        self.as_calendar("buddhist")
        from mitra.parties.tests.test_edit import edit_data

        url = reverse("parties:edit", args=[self.party.public_id])
        response = self.client.post(url, edit_data(self.party, birth_date="1987-05-17"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "1987 is a Gregorian year")
        self.party.refresh_from_db()
        self.assertIsNone(self.party.birth_date)


class DatePlausibilityApiTests(BaseTestCase):
    """The API reads Gregorian ISO dates; a year of another calendar there is a 400."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.task = make_task(cls.owner, cls.party, "Install", assignee=cls.owner)

    def test_a_task_due_in_an_implausible_year_is_a_400(self):
        self.login(self.owner)
        for due, reading in (("1483-12-22T10:00:00Z", "1483 is a"), ("2569-12-22T10:00:00Z", "2026-12-22"),
                             ("1405-10-01T10:00:00+03:30", "2026-12-22")):  # fmt: skip
            with self.subTest(due):
                response = self.client.post(
                    TASKS_API,
                    {"title": "Check", "assignee": str(self.owner.public_id), "due_at": due},
                    content_type="application/json",
                )
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("due_at", response.json()["error"]["fields"])
                self.assertIn(reading, str(response.json()["error"]["fields"]["due_at"]))
                response = self.client.patch(
                    f"{TASKS_API}{self.task.public_id}/", {"due_at": due},
                    content_type="application/json",
                )  # fmt: skip
                self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(Task.objects.count(), 1)
        self.task.refresh_from_db()
        self.assertIsNone(self.task.due_at)
        response = self.client.post(
            TASKS_API,
            {"title": "Check", "assignee": str(self.owner.public_id), "due_at": "2026-12-22T10:00:00Z"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)

    def test_an_appointment_in_an_implausible_year_is_a_400(self):
        self.login(self.owner)
        response = self.client.post(
            APPOINTMENTS_API,
            {"subject": "Demo", "start": "2569-12-22T10:00:00Z", "end": "2569-12-22T11:00:00Z"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(set(response.json()["error"]["fields"]), {"start", "end"})
        self.assertFalse(Appointment.objects.exists())

    def test_a_party_birth_date_in_an_implausible_year_is_a_400(self):
        self.login(self.owner)
        response = self.client.patch(
            f"/api/v1/parties/{self.party.public_id}/", {"birth_date": "2530-05-17"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("birth_date", response.json()["error"]["fields"])
        self.party.refresh_from_db()
        self.assertIsNone(self.party.birth_date)


class DatePlausibilityMoveTests(BaseTestCase):
    """A drop on the calendar posts an ISO date: one centuries away moves nothing."""

    def test_a_move_to_an_implausible_year_changes_nothing(self):
        from .factories import make_appointment

        start = timezone.make_aware(dt.datetime(2026, 12, 22, 10))
        appt = make_appointment(self.owner, start, participants=[self.owner], subject="Demo")
        self.login(self.owner)
        url = reverse("activities:calendar_move", args=[appt.public_id])
        for bad in ("1483-12-22T10:00", "2569-12-22", "1405-10-01T10:00:00Z"):
            with self.subTest(bad):
                response = self.client.post(
                    url, {"start": bad, "view": "week", "date": "2026-12-22", "who": "mine"},
                    headers={"HX-Request": "true"},
                )  # fmt: skip
                self.assertContains(response, "alert-danger")
                appt.refresh_from_db()
                self.assertEqual(appt.start, start)
