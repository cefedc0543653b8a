import datetime as dt

from mitra.core.testing import BaseTestCase

from ..models import Appointment, Note
from .factories import make_appointment, make_note, make_party

UTC = dt.UTC


class AppointmentAndNoteApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.meeting = make_appointment(
            cls.owner, start=dt.datetime(2026, 3, 2, 10, tzinfo=UTC), party=cls.party
        )
        cls.note = make_note(cls.owner, "Check stock", recipients=[cls.teammate])

    def test_it_lists_appointments_in_a_range(self):
        self.login(self.teammate)
        response = self.client.get(
            "/api/v1/appointments/", {"from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z"}
        )
        self.assertEqual([a["subject"] for a in response.json()["results"]], ["Meeting"])
        response = self.client.get("/api/v1/appointments/", {"from": "2026-03-05T00:00:00Z"})
        self.assertEqual(response.json()["results"], [])
        self.login(self.outsider)
        self.assertEqual(self.client.get("/api/v1/appointments/").json()["results"], [])

    def test_it_creates_an_appointment_and_checks_the_times(self):
        self.login(self.owner)
        body = {"subject": "Demo", "start": "2026-03-04T09:00:00Z", "end": "2026-03-04T08:00:00Z",
                "participants": [str(self.owner.public_id)], "parties": [str(self.party.public_id)]}  # fmt: skip
        self.assertEqual(
            self.client.post(
                "/api/v1/appointments/", body, content_type="application/json"
            ).status_code,
            400,
        )
        body["end"] = "2026-03-04T10:00:00Z"
        response = self.client.post("/api/v1/appointments/", body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        appt = Appointment.objects.get(subject="Demo")
        self.assertEqual(list(appt.participants.all()), [self.owner])

    def test_notes_have_an_unread_marker_per_recipient(self):
        self.login(self.teammate)
        notes = self.client.get("/api/v1/notes/", {"box": "received"}).json()["results"]
        self.assertEqual([(n["body"], n["unread"]) for n in notes], [("Check stock", True)])
        response = self.client.post(f"/api/v1/notes/{self.note.public_id}/read/")
        self.assertFalse(response.json()["unread"])
        response = self.client.post(f"/api/v1/notes/{self.note.public_id}/status/", {"status": "closed"},
                                    content_type="application/json")  # fmt: skip
        self.assertEqual(response.json()["status"], "closed")

    def test_it_sends_a_note_and_keeps_personal_notes_private(self):
        self.login(self.owner)
        response = self.client.post("/api/v1/notes/", {"body": "Hi", "recipients": [str(self.readonly.public_id)]},
                                    content_type="application/json")  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        note = Note.objects.get(body="Hi")
        self.assertEqual(list(note.recipients.all()), [self.readonly])
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/api/v1/notes/{note.public_id}/").status_code, 404)
        self.assertEqual(self.client.post(f"/api/v1/notes/{note.public_id}/read/").status_code, 404)
