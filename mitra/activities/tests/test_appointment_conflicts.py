import datetime as dt

from django.urls import reverse

from mitra.core.testing import BaseTestCase

from .. import actions
from .factories import make_appointment

URL = reverse("activities:appointment_conflicts")
UTC = dt.UTC


class AppointmentConflictsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = make_appointment(
            cls.teammate, start=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC), subject="Board meeting"
        )

    def test_it_finds_overlaps_for_each_person(self):
        found = actions.conflicts(
            [self.teammate, self.owner],
            dt.datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
            dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        )
        self.assertEqual(found, {self.teammate: [self.meeting]})

    def test_it_does_not_count_touching_or_cancelled_appointments(self):
        start = dt.datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
        self.assertEqual(
            actions.conflicts([self.teammate], start, start + dt.timedelta(hours=1)), {}
        )
        self.meeting.status = "cancelled"
        self.meeting.save()
        self.assertEqual(
            actions.conflicts([self.teammate], start - dt.timedelta(minutes=30), start), {}
        )

    def test_it_renders_the_warning_box_for_htmx(self):
        self.login(self.readonly)  # team scope: sees the teammate's meeting by name
        response = self.client.get(URL, {"start_0": "2026-03-02", "start_1": "10:15",
                                          "end_0": "2026-03-02", "end_1": "10:45",
                                          "participants": [self.teammate.pk]},
                                   headers={"HX-Request": "true"})  # fmt: skip
        self.assertContains(response, "Board meeting")
        self.assertContains(response, 'id="conflicts"')

    def test_it_renders_an_empty_box_when_free_or_incomplete(self):
        self.login(self.owner)
        response = self.client.get(
            URL, {"start_0": "2026-03-03", "start_1": "10:15", "participants": [self.teammate.pk]}
        )
        self.assertNotContains(response, "alert")
        response = self.client.get(URL, {"start_0": "garbage", "appointment": "nope"})
        self.assertEqual(response.status_code, 200)
