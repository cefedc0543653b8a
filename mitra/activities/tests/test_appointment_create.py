import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from ..models import Appointment
from .factories import make_appointment, make_party

URL = reverse("activities:appointment_create")
UTC = dt.UTC


class AppointmentCreateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.busy = make_appointment(
            cls.teammate, start=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC), minutes=60,
            subject="Board meeting", participants=[cls.teammate],
        )  # fmt: skip

    def data(self, **extra):
        return {
            "subject": "Demo at the customer",
            "start_0": "2026-03-02",
            "start_1": "10:30",
            "end_0": "2026-03-02",
            "end_1": "11:30",
            "place": "Silom",
            "participants": [self.owner.pk, self.teammate.pk],
            "parties": self.party.code,
            "reminder_minutes": "30",
            **extra,
        }

    def test_it_prefills_start_and_end_from_a_calendar_click(self):
        self.login(self.owner)
        response = self.client.get(
            URL, {"start": "2026-03-05T14:00:00+00:00", "end": "2026-03-05T15:30:00+00:00"}
        )
        form = response.context["form"]
        self.assertEqual(form.initial["start"], dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
        self.assertEqual(form.initial["end"], dt.datetime(2026, 3, 5, 15, 30, tzinfo=UTC))
        self.assertContains(response, 'value="14:00"')
        self.assertContains(response, 'value="15:30"')

    def test_it_prefills_in_the_users_time_zone_and_calendar(self):
        self.owner.time_zone = "Asia/Bangkok"
        self.owner.calendar = "buddhist"
        self.owner.save()
        self.login(self.owner)
        response = self.client.get(URL, {"start": "2026-03-05T09:00"})
        self.assertContains(response, 'value="2569-03-05"')
        self.assertContains(response, 'value="09:00"')
        self.assertContains(response, 'value="10:00"')  # an hour by default

    def test_it_ignores_a_garbled_start(self):
        self.login(self.owner)
        self.assertEqual(self.client.get(URL, {"start": "next tuesday"}).status_code, 200)

    def test_it_warns_about_a_participant_already_busy_and_saves_nothing(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "already have an appointment at this time")
        # The owner (own scope) may not see the teammate's meeting: it shows as "busy".
        self.assertContains(response, "teammate: busy")
        self.assertNotContains(response, "Board meeting")
        self.assertEqual(Appointment.objects.count(), 1)

    def test_it_saves_when_the_conflict_is_confirmed(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data(confirm_conflicts="on"))
        appt = Appointment.objects.exclude(pk=self.busy.pk).get()
        self.assertRedirects(
            response, reverse("activities:appointment_detail", args=[appt.public_id])
        )
        self.assertEqual(set(appt.participants.all()), {self.owner, self.teammate})
        self.assertEqual(list(appt.targets.values_list("party_id", flat=True)), [self.party.pk])
        self.assertEqual(appt.reminder_minutes, 30)

    def test_it_saves_without_a_warning_when_nobody_is_busy(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data(start_1="12:00", end_1="13:00"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Appointment.objects.count(), 2)

    def test_it_shows_someone_elses_private_meeting_only_as_busy(self):
        private = make_appointment(
            self.outsider, start=dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC), subject="Secret",
            participants=[self.outsider, self.owner], is_private=False,
        )  # fmt: skip
        private.participants.set([self.outsider])
        self.login(self.owner)
        response = self.client.post(
            URL,
            self.data(start_1="12:15", end_1="12:45", participants=[self.outsider.pk], parties=""),
        )
        self.assertContains(response, "busy")
        self.assertNotContains(response, "Secret")

    def test_it_rejects_an_end_before_the_start(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data(end_1="09:00"))
        self.assertContains(response, "The end is before the start.")
        self.assertEqual(Appointment.objects.count(), 1)

    def test_it_makes_an_all_day_appointment_cover_the_day(self):
        self.login(self.owner)
        self.client.post(
            URL,
            self.data(all_day="on", start_1="", end_0="", end_1="", participants=[self.owner.pk]),
        )
        appt = Appointment.objects.get(all_day=True)
        self.assertEqual(appt.start, dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
        self.assertEqual(appt.end, dt.datetime(2026, 3, 2, 23, 59, tzinfo=UTC))

    def test_it_edits_and_does_not_conflict_with_itself(self):
        self.login(self.teammate)
        url = reverse("activities:appointment_edit", args=[self.busy.public_id])
        response = self.client.post(url, self.data(subject="Board meeting (moved)", start_1="10:00", end_1="11:00",
                                                   participants=[self.teammate.pk], status="planned"))  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.busy.refresh_from_db()
        self.assertEqual(self.busy.subject, "Board meeting (moved)")

    def test_it_is_a_404_for_an_outsider_on_the_detail_and_edit(self):
        self.login(self.outsider)
        for name in ("appointment_detail", "appointment_edit"):
            url = reverse(f"activities:{name}", args=[self.busy.public_id])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_lists_upcoming_appointments(self):
        make_appointment(
            self.owner,
            start=timezone.now() + dt.timedelta(hours=3),
            subject="Soon",
            party=self.party,
        )
        self.login(self.owner)
        response = self.client.get(reverse("activities:appointments"))
        self.assertEqual([a.subject for a in response.context["page"]], ["Soon"])
        with self.assertNumQueries(len(self._queries(reverse("activities:appointments")))):
            self.client.get(reverse("activities:appointments"), {"show": "all"})

    def _queries(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        return ctx.captured_queries
