"""The party's history tab shows changes to the rows that belong to the party."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.activities.models import Attachment
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Relationship

from .factories import make_party
from .test_edit import edit_data


class PartyHistoryTabTests(BaseTestCase):
    def setUp(self):
        self.party = make_party(self.owner, "Acme Co", code="ACME", phone="02 123 4567")
        self.org = make_party(self.owner, "Siam Holdings", code="ORG-1")

    def tab(self):
        url = reverse("parties:tab", args=[self.party.public_id, "history"])
        return self.client.get(url, headers={"HX-Request": "true", "HX-Target": "tab-card"})

    def test_contact_points_addresses_relationships_and_files_appear_with_who_and_what(self):
        self.login(self.owner)
        edit = reverse("parties:edit", args=[self.party.public_id])
        data = edit_data(self.party, **{"cp-0-entry": "02 765 4321"})
        data.update(
            {
                "addr-TOTAL_FORMS": "1",
                "addr-0-kind": "billing",
                "addr-0-line1": "99 Sukhumvit Road",
                "addr-0-city": "Bangkok",
                "addr-0-country": "TH",
            }
        )
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.client.post(
            reverse("parties:relationship_add", args=[self.party.public_id]),
            {"kind": "subsidiary_of", "other": "ORG-1"},
        )
        # Files are attachments on the party (one attachment model, in activities).
        self.client.post(
            reverse("activities:attachment_upload", args=["party", self.party.public_id]),
            {"file": SimpleUploadedFile("Contract 2026", b"%PDF-1.4")},
        )
        att = Attachment.objects.get()
        self.client.post(reverse("activities:attachment_delete", args=[att.public_id]))
        r = self.tab()
        self.assertEqual(r.status_code, 200)
        rows = r.context["rows"]
        whats = [(row["kind"], row["what"]) for row in rows if row["what"]]
        self.assertIn(("added", "Address: 99 Sukhumvit Road, Bangkok, TH"), whats)
        self.assertIn(("added", "Relationship: Acme Co is a subsidiary of Siam Holdings"), whats)
        self.assertIn(("added", "Attachment: Contract 2026"), whats)
        self.assertIn(("removed", "Attachment: Contract 2026"), whats)
        changed = [row for row in rows if row["what"] and row["kind"] == "changed"]
        self.assertEqual(len(changed), 1)
        self.assertTrue(changed[0]["what"].startswith("Contact point: 02 765 4321"))
        self.assertIn(("number", "02 123 4567", "02 765 4321"), changed[0]["changes"])
        self.assertTrue(all(row["record"].history_user == self.owner for row in rows[:5]))
        self.assertContains(
            r, "Address: <bdi>99 Sukhumvit Road, Bangkok, <bdi>Thailand</bdi></bdi>"
        )
        self.assertContains(r, 'Contact point: <bdi dir="ltr">02 765 4321</bdi>')
        # Newest first.
        dates = [row["record"].history_date for row in rows]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_an_unchanged_row_saved_with_the_form_adds_no_line(self):
        self.login(self.owner)
        edit = reverse("parties:edit", args=[self.party.public_id])
        self.client.post(edit, edit_data(self.party, comments="Called"))
        rows = self.tab().context["rows"]
        self.assertEqual(
            [row["what"] for row in rows if row["what"]], ["Contact point: 02 123 4567"]
        )

    def test_a_relationship_to_a_party_out_of_sight_is_not_shown(self):
        secret = make_party(self.outsider, "Secret Ltd")
        Relationship.objects.create(from_party=self.party, to_party=secret, kind="competitor_of")
        self.login(self.owner)
        r = self.tab()
        self.assertNotContains(r, "Secret Ltd")
        self.login(self.admin)
        self.assertContains(self.tab(), "Secret Ltd")
