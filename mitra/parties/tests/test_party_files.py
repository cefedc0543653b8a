"""Party files are served like activity attachments: type from the content, no sniffing,
a sandbox CSP of their own, and only images and PDFs shown inline."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Attachment

from .factories import make_party

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


class PartyFileDownloadTests(BaseTestCase):
    def setUp(self):
        self.party = make_party(self.owner, "Acme Co")
        self.login(self.owner)

    def upload(self, name, content):
        self.client.post(
            reverse("parties:attachment_add", args=[self.party.public_id]),
            {"file": SimpleUploadedFile(name, content, content_type="image/png")},
        )
        return Attachment.objects.get(name=name)

    def download(self, att, **params):
        return self.client.get(reverse("parties:attachment", args=[att.public_id]), params)

    def test_an_html_page_named_png_is_served_as_html_to_download_in_a_sandbox(self):
        att = self.upload("photo.png", b"<!DOCTYPE html><script>alert(document.cookie)</script>")
        for params in ({}, {"inline": "1"}):
            r = self.download(att, **params)
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r["Content-Type"].startswith("text/html"), r["Content-Type"])
            self.assertTrue(r["Content-Disposition"].startswith("attachment;"))
            self.assertEqual(r["X-Content-Type-Options"], "nosniff")
            self.assertEqual(r["Content-Security-Policy"], "default-src 'none'; sandbox")
            self.assertIn(b"<script>", b"".join(r.streaming_content))

    def test_a_real_image_may_be_shown_inline(self):
        att = self.upload("logo.png", PNG)
        r = self.download(att, inline="1")
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertTrue(r["Content-Disposition"].startswith("inline;"))
        self.assertEqual(r["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertTrue(self.download(att)["Content-Disposition"].startswith("attachment;"))

    def test_a_text_file_named_pdf_is_plain_text(self):
        att = self.upload("contract.pdf", b"just some words")
        r = self.download(att, inline="1")
        self.assertTrue(r["Content-Type"].startswith("text/plain"), r["Content-Type"])
        self.assertTrue(r["Content-Disposition"].startswith("attachment;"))

    def test_others_still_get_404_and_a_missing_file_is_404(self):
        att = self.upload("logo.png", PNG)
        self.login(self.outsider)
        self.assertEqual(self.download(att).status_code, 404)
        self.login(self.owner)
        att.file.storage.delete(att.file.name)
        self.assertEqual(self.download(att).status_code, 404)
