"""A party's files are activities attachments on the party: one list on the party page, the
hardened download, old links to the former party files, history, merge and purge."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.dedupe.merge import merge_parties
from mitra.parties import actions as party_actions

from ..models import Attachment
from .factories import make_interaction, make_party

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


class PartyFilesMixin:
    def upload(self, name, content, description="", party=None):
        party = party or self.party
        url = reverse("activities:attachment_upload", args=["party", party.public_id])
        return self.client.post(
            url, {"file": SimpleUploadedFile(name, content), "description": description}
        )

    def tab(self, party=None):
        party = party or self.party
        url = reverse("parties:tab", args=[party.public_id, "attachments"])
        return self.client.get(url, headers={"HX-Request": "true", "HX-Target": "tab-card"})


class PartyFileTests(PartyFilesMixin, BaseTestCase):
    """What the former party files did (A18), now through the one attachment model."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Acme Co", team=cls.p.alpha)

    def test_it_uploads_downloads_and_deletes_a_file(self):
        self.login(self.owner)
        self.upload("contract.pdf", b"%PDF-1.4 test", "Contract 2026")
        att = Attachment.objects.get()
        self.assertEqual(
            (att.name, att.description, att.owner, att.size),
            ("contract.pdf", "Contract 2026", self.owner, 13),
        )
        r = self.client.get(reverse("activities:attachment_download", args=[att.public_id]))
        self.assertEqual(b"".join(r.streaming_content), b"%PDF-1.4 test")
        self.login(self.outsider)
        url = reverse("activities:attachment_download", args=[att.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.owner)
        self.client.post(reverse("activities:attachment_delete", args=[att.public_id]))
        self.assertFalse(Attachment.objects.exists())

    def test_an_old_link_to_a_party_file_reaches_the_one_download_view(self):
        self.login(self.owner)
        self.upload("logo.png", PNG)
        att = Attachment.objects.get()
        old = reverse("parties:attachment", args=[att.public_id])
        r = self.client.get(old, {"inline": "1"})
        self.assertRedirects(
            r,
            reverse("activities:attachment_download", args=[att.public_id]) + "?inline=1",
            fetch_redirect_response=False,
        )
        r = self.client.get(old, {"inline": "1"}, follow=True)
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertTrue(r["Content-Disposition"].startswith("inline;"))
        self.login(self.outsider)
        self.assertEqual(self.client.get(old, follow=True).status_code, 404)

    def test_the_party_page_has_one_file_list_with_an_upload_form_for_those_who_may(self):
        self.login(self.owner)
        self.upload("contract.pdf", b"%PDF-1.4 test", "Contract 2026")
        interaction = make_interaction(self.owner, self.party)
        self.client.post(
            reverse("activities:attachment_upload", args=["interaction", interaction.public_id]),
            {"file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
        )
        with self.assertNumQueries(5):
            r = self.tab()
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "contract.pdf")
        self.assertContains(r, "Contract 2026")
        # Files on the party's activities are on those activities (and the timeline).
        self.assertNotContains(r, "minutes.pdf")
        self.assertContains(
            r, reverse("activities:attachment_upload", args=["party", self.party.public_id])
        )
        self.assertContains(r, 'id="attachments"', count=1)
        self.login(self.readonly)
        r = self.tab()
        self.assertContains(r, "contract.pdf")
        self.assertNotContains(r, 'enctype="multipart/form-data"')
        self.login(self.outsider)
        self.assertEqual(self.tab().status_code, 404)

    def test_read_only_users_may_not_remove_a_file(self):
        self.login(self.owner)
        self.upload("contract.pdf", b"%PDF-1.4 test")
        att = Attachment.objects.get()
        self.login(self.readonly)
        r = self.client.post(reverse("activities:attachment_delete", args=[att.public_id]))
        self.assertEqual(r.status_code, 403)
        self.assertTrue(Attachment.objects.exists())

    def test_files_appear_in_the_party_history_when_added_and_removed(self):
        self.login(self.owner)
        self.upload("Contract 2026.pdf", b"%PDF-1.4")
        att = Attachment.objects.get()
        self.client.post(reverse("activities:attachment_delete", args=[att.public_id]))
        url = reverse("parties:tab", args=[self.party.public_id, "history"])
        r = self.client.get(url, headers={"HX-Request": "true", "HX-Target": "tab-card"})
        whats = [(row["kind"], row["what"]) for row in r.context["rows"] if row["what"]]
        self.assertIn(("added", "Attachment: Contract 2026.pdf"), whats)
        self.assertIn(("removed", "Attachment: Contract 2026.pdf"), whats)
        rows = [row for row in r.context["rows"] if row["what"]]
        self.assertTrue(all(row["record"].history_user == self.owner for row in rows))

    def test_a_merge_moves_the_files_to_the_kept_party(self):
        lose = make_party(self.owner, "Acme Company", team=self.p.alpha)
        self.login(self.owner)
        self.upload("contract.pdf", b"%PDF", party=lose)
        merge_parties(self.party, lose, acting_user=self.owner)
        self.assertEqual(Attachment.objects.on(party=self.party).get().name, "contract.pdf")

    def test_a_purged_party_takes_its_own_files_but_not_shared_ones(self):
        self.login(self.owner)
        self.upload("contract.pdf", b"%PDF-1.4 test")
        att = Attachment.objects.get()
        name = att.file.name
        self.assertEqual(party_actions.delete_blockers(self.party), [])
        self.party.deleted_at = self.party.created_at
        self.party.save(update_fields=["deleted_at"])
        with self.captureOnCommitCallbacks(execute=True):
            party_actions.purge_party(self.party, acting_user=self.admin)
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(default_storage.exists(name))


class PartyFileDownloadTests(PartyFilesMixin, BaseTestCase):
    """Party files are served hardened: type from the content, no sniffing, a sandbox CSP of
    their own, and only images and PDFs shown inline."""

    def setUp(self):
        self.party = make_party(self.owner, "Acme Co")
        self.login(self.owner)

    def add(self, name, content):
        self.upload(name, content)
        return Attachment.objects.get(name=name)

    def download(self, att, **params):
        url = reverse("activities:attachment_download", args=[att.public_id])
        return self.client.get(url, params)

    def test_an_html_page_named_png_is_served_as_html_to_download_in_a_sandbox(self):
        att = self.add("photo.png", b"<!DOCTYPE html><script>alert(document.cookie)</script>")
        for params in ({}, {"inline": "1"}):
            r = self.download(att, **params)
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r["Content-Type"].startswith("text/html"), r["Content-Type"])
            self.assertTrue(r["Content-Disposition"].startswith("attachment;"))
            self.assertEqual(r["X-Content-Type-Options"], "nosniff")
            self.assertEqual(r["Content-Security-Policy"], "default-src 'none'; sandbox")
            self.assertIn(b"<script>", b"".join(r.streaming_content))

    def test_a_real_image_may_be_shown_inline(self):
        att = self.add("logo.png", PNG)
        r = self.download(att, inline="1")
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertTrue(r["Content-Disposition"].startswith("inline;"))
        self.assertEqual(r["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertTrue(self.download(att)["Content-Disposition"].startswith("attachment;"))

    def test_a_text_file_named_pdf_is_plain_text(self):
        att = self.add("contract.pdf", b"just some words")
        r = self.download(att, inline="1")
        self.assertTrue(r["Content-Type"].startswith("text/plain"), r["Content-Type"])
        self.assertTrue(r["Content-Disposition"].startswith("attachment;"))

    def test_others_still_get_404_and_a_missing_file_is_404(self):
        att = self.add("logo.png", PNG)
        self.login(self.outsider)
        self.assertEqual(self.download(att).status_code, 404)
        self.login(self.owner)
        att.file.storage.delete(att.file.name)
        self.assertEqual(self.download(att).status_code, 404)
