from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Note, NoteRecipient
from .factories import make_note, make_party

URL = reverse("activities:notes")


class NotesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.personal = make_note(cls.owner, "Call the bank", is_private=True)
        cls.sent = make_note(
            cls.owner, "Please check the Siam order", title="Siam order", recipients=[cls.teammate]
        )

    def titles(self, response):
        return [str(n) for n in response.context["page"]]

    def test_it_sends_a_note_to_colleagues(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("activities:note_create"),
            {
                "title": "Stock count",
                "body": "Friday 16:00",
                "recipients": [self.teammate.pk, self.readonly.pk],
            },
        )
        note = Note.objects.get(title="Stock count")
        self.assertRedirects(response, reverse("activities:note_detail", args=[note.public_id]))
        self.assertEqual(set(note.recipients.all()), {self.teammate, self.readonly})
        self.assertTrue(all(d.read_at is None for d in note.deliveries.all()))

    def test_it_shows_received_notes_with_an_unread_marker_until_opened(self):
        self.login(self.teammate)
        response = self.client.get(URL)
        self.assertEqual(self.titles(response), ["Siam order"])
        self.assertTrue(response.context["page"][0].unread)
        self.assertEqual(response.context["unread_count"], 1)
        self.client.get(reverse("activities:note_detail", args=[self.sent.public_id]))
        response = self.client.get(URL)
        self.assertFalse(response.context["page"][0].unread)
        self.assertEqual(response.context["unread_count"], 0)
        self.assertIsNotNone(NoteRecipient.objects.get(user=self.teammate).read_at)

    def test_it_lists_sent_and_own_notes(self):
        self.login(self.owner)
        self.assertEqual(self.titles(self.client.get(URL, {"box": "sent"})), ["Siam order"])
        self.assertEqual(
            sorted(self.titles(self.client.get(URL, {"box": "mine"}))),
            ["Call the bank", "Siam order"],
        )

    def test_a_recipient_may_close_and_reopen_a_note(self):
        self.login(self.teammate)
        url = reverse("activities:note_status", args=[self.sent.public_id])
        self.client.post(url, {"status": "closed"})
        self.sent.refresh_from_db()
        self.assertEqual(self.sent.status, "closed")
        self.assertEqual(self.titles(self.client.get(URL)), [])
        self.assertEqual(self.titles(self.client.get(URL, {"status": "closed"})), ["Siam order"])
        self.client.post(url, {"status": "active"})
        self.sent.refresh_from_db()
        self.assertEqual(self.sent.status, "active")

    def test_a_recipient_may_not_rewrite_the_note(self):
        self.login(self.teammate)
        url = reverse("activities:note_edit", args=[self.sent.public_id])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_personal_note_stays_personal(self):
        for user in (self.teammate, self.readonly, self.outsider):
            self.login(user)
            url = reverse("activities:note_detail", args=[self.personal.public_id])
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertNotIn("Call the bank", self.titles(self.client.get(URL, {"box": "mine"})))

    def test_a_team_note_on_a_party_is_seen_by_the_team_but_not_outsiders(self):
        party = make_party(self.owner, "Siam Pumps", team=self.p.alpha)
        shared = make_note(self.owner, "Prefers calls after 3pm", party=party, is_private=False)
        url = reverse("activities:note_detail", args=[shared.public_id])
        self.login(self.readonly)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(
                reverse("activities:note_status", args=[shared.public_id])
            ).status_code,
            404,
        )

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.client.get(URL)
        with self.assertNumQueries(6) as ctx:
            self.client.get(URL)
        for i in range(10):
            make_note(self.owner, f"Note {i}", recipients=[self.teammate, self.readonly])
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(URL)
