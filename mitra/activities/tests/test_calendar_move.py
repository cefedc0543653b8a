import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .factories import make_appointment


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


class CalendarMoveTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.appt = make_appointment(
            cls.owner, aware(2025, 3, 21, 10), participants=[cls.owner, cls.teammate],
            subject="Pump demo",
        )  # fmt: skip
        cls.busy = make_appointment(cls.teammate, aware(2025, 3, 21, 14), subject="Dentist")

    def move(self, start, htmx=True, **extra):
        data = {"start": start, "view": "week", "date": "2025-03-21", "who": "mine", **extra}
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(
            reverse("activities:calendar_move", args=[self.appt.public_id]), data, headers=headers
        )

    def test_dragging_to_an_hour_moves_it_and_keeps_its_length(self):
        self.login(self.owner)
        response = self.move("2025-03-24T09:30")
        self.appt.refresh_from_db()
        self.assertEqual(
            (self.appt.start, self.appt.end),
            (aware(2025, 3, 24, 9, 30), aware(2025, 3, 24, 10, 30)),
        )
        self.assertContains(response, 'id="calendar"')
        self.assertNotContains(response, "<html")
        self.assertContains(response, "alert-success")
        self.assertContains(response, "Undo")
        self.assertEqual(self.appt.history.first().history_user, self.owner)

    def test_dragging_to_a_day_in_the_month_keeps_the_time(self):
        self.login(self.owner)
        self.move("2025-03-27", view="month")
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 27, 10))

    def test_a_clash_with_a_participant_is_warned_about_and_can_be_undone(self):
        self.login(self.owner)
        response = self.move("2025-03-21T14:00")
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 21, 14))
        self.assertContains(response, "alert-warning")
        self.assertContains(response, "teammate")
        # The owner may not see the teammate's appointment: it shows as "busy".
        self.assertContains(response, "busy")
        self.assertNotContains(response, "Dentist")
        undo = response.context["undo"]
        response = self.move(undo["start"], end=undo["end"])
        self.appt.refresh_from_db()
        self.assertEqual(
            (self.appt.start, self.appt.end), (aware(2025, 3, 21, 10), aware(2025, 3, 21, 11))
        )
        self.assertNotContains(response, "alert-warning")

    def test_the_teammate_sees_what_clashes(self):
        self.login(self.teammate)
        response = self.move("2025-03-21T14:30")
        self.assertContains(response, "Dentist")

    def test_without_htmx_it_redirects_back_with_a_message(self):
        self.login(self.owner)
        response = self.move("2025-03-21T14:00", htmx=False)
        self.assertRedirects(
            response, reverse("activities:calendar_week") + "?date=2025-03-21&who=mine",
            fetch_redirect_response=False,
        )  # fmt: skip
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertIn("teammate", messages[0])

    def test_bad_input_changes_nothing(self):
        self.login(self.owner)
        for bad in ("", "tomorrow", "2025-13-40T10:00"):
            response = self.move(bad)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "alert-danger")
        response = self.move("2025-03-21T12:00", end="2025-03-21T11:00")
        self.assertContains(response, "alert-danger")
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 21, 10))

    def test_read_only_users_may_not_move_and_outsiders_do_not_find_it(self):
        self.login(self.readonly)
        self.assertEqual(self.move("2025-03-24T09:00").status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.move("2025-03-24T09:00").status_code, 404)
        self.assertEqual(
            self.client.get(
                reverse("activities:calendar_move", args=[self.appt.public_id])
            ).status_code,
            405,
        )
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 21, 10))

    def test_whole_day_appointments_move_by_days(self):
        self.appt.all_day = True
        self.appt.start, self.appt.end = aware(2025, 3, 21, 0), aware(2025, 3, 21, 23, 59)
        self.appt.save()
        self.login(self.owner)
        self.move("2025-03-25T15:00")
        self.appt.refresh_from_db()
        self.assertEqual(
            (self.appt.start, self.appt.end), (aware(2025, 3, 25, 0), aware(2025, 3, 25, 23, 59))
        )
