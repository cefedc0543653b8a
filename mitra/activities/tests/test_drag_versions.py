"""J5 for drags: the calendar and the task board send the version they drew; a record
changed meanwhile is not moved and the answer (409) says why."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from mitra.activities import actions
from mitra.core.testing import BaseTestCase

from ..models import TaskStatus
from .factories import make_appointment, make_task


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


class CalendarDragVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.appt = make_appointment(
            cls.owner, aware(2025, 3, 21, 10), participants=[cls.owner, cls.teammate],
            subject="Pump demo", team=cls.p.alpha,
        )  # fmt: skip

    def move(self, start, **extra):
        data = {"start": start, "view": "week", "date": "2025-03-21", "who": "mine", **extra}
        return self.client.post(
            reverse("activities:calendar_move", args=[self.appt.public_id]),
            data,
            headers={"HX-Request": "true"},
        )

    def test_the_grid_carries_each_appointments_version(self):
        self.login(self.owner)
        page = self.client.get(reverse("activities:calendar_week") + "?date=2025-03-21")
        self.assertRegex(page.content.decode(), r'data-move-url="[^"]+" data-version="1"')

    def test_a_drag_of_a_stale_appointment_is_refused_and_nothing_moves(self):
        self.login(self.owner)
        actions.update_appointment(self.appt, acting_user=self.teammate, subject="Pump demo II")
        response = self.move("2025-03-24T09:30", version="1")
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "changed this record after you opened it", status_code=409)
        self.assertContains(response, 'id="calendar"', status_code=409)
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 21, 10))
        self.assertEqual(self.appt.version, 2)

    def test_a_drag_with_the_current_version_moves_and_the_undo_carries_the_new_one(self):
        self.login(self.owner)
        response = self.move("2025-03-24T09:30", version="1")
        self.assertEqual(response.status_code, 200)
        self.appt.refresh_from_db()
        self.assertEqual((self.appt.start, self.appt.version), (aware(2025, 3, 24, 9, 30), 2))
        self.assertContains(response, '<input type="hidden" name="version" value="2">')

    def test_a_stale_plain_post_is_refused_with_a_message(self):
        self.login(self.owner)
        actions.update_appointment(self.appt, acting_user=self.teammate, place="Room 2")
        response = self.client.post(
            reverse("activities:calendar_move", args=[self.appt.public_id]),
            {"start": "2025-03-24T09:30", "view": "week", "version": "1"},
            follow=True,
        )
        self.assertContains(response, "changed this record after you opened it")
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.start, aware(2025, 3, 21, 10))


class BoardDragVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task = make_task(cls.owner, status=TaskStatus.NOT_STARTED, team=cls.p.alpha)

    def url(self):
        return reverse("activities:task_status", args=[self.task.public_id])

    def test_the_board_carries_each_cards_version(self):
        self.login(self.owner)
        page = self.client.get(reverse("activities:task_board") + "?view=created").content
        self.assertIn(b'data-version="1"', page)
        self.assertIn(b'<input type="hidden" name="version" value="1">', page)

    def test_a_drag_of_a_stale_card_is_refused_and_nothing_moves(self):
        actions.update_task(self.task, acting_user=self.teammate, title="Install two pumps")
        self.login(self.owner)
        response = self.client.post(
            self.url(), {"status": "waiting", "version": "1"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "teammate changed this record", status_code=409)
        # The card as it is now: its current status and version, for board.js to put back.
        body = response.content.decode()
        self.assertIn('data-current-status="not_started"', body)
        self.assertIn('data-version="2"', body)
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.title), ("not_started", "Install two pumps"))

    def test_a_drag_with_the_current_version_moves(self):
        self.login(self.owner)
        response = self.client.post(
            self.url(), {"status": "waiting", "version": "1"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.version), ("waiting", 2))
        self.assertTrue(re.search(r'data-version="2"', response.content.decode()))

    def test_a_stale_small_form_is_refused_with_a_message(self):
        actions.set_task_status(self.task, TaskStatus.IN_PROGRESS, acting_user=self.teammate)
        self.login(self.owner)
        response = self.client.post(self.url(), {"status": "waiting", "version": "1"}, follow=True)
        self.assertContains(response, "changed this record after you opened it")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, TaskStatus.IN_PROGRESS)
