import io
import zipfile

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..actions import detect_content_type
from ..models import Attachment, AttachmentTarget
from .factories import make_interaction, make_party, make_task

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def plain_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hello")
    return buf.getvalue()


class AttachmentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.interaction = make_interaction(cls.owner, cls.party)
        cls.private_task = make_task(cls.owner, cls.party, "Private job", is_private=True)

    def upload(self, kind, obj, name, content, description=""):
        url = reverse("activities:attachment_upload", args=[kind, obj.public_id])
        return self.client.post(
            url, {"file": SimpleUploadedFile(name, content), "description": description}
        )

    def test_it_attaches_any_file_to_a_record_and_detects_the_type_from_the_content(self):
        self.login(self.owner)
        # A PNG named .txt is still a PNG: the browser's claim and the name are not trusted.
        response = self.upload("interaction", self.interaction, "photo.txt", PNG, "Broken valve")
        self.assertRedirects(
            response, reverse("activities:interaction_detail", args=[self.interaction.public_id])
        )
        att = Attachment.objects.get()
        self.assertEqual(att.content_type, "image/png")
        self.assertEqual(att.name, "photo.txt")
        self.assertEqual(att.size, len(PNG))
        self.assertEqual(AttachmentTarget.objects.get().interaction, self.interaction)
        self.assertTrue(default_storage.exists(att.file.name))

    def test_it_tells_office_files_pdf_html_and_text_apart(self):
        cases = [
            (
                "offer.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "renamed.zip",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("archive.docx", plain_zip(), "application/zip"),
            ("scan.bin", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
            ("page.dat", b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
            ("notes.csv", "ชื่อ,ราคา\nปั๊มน้ำ,100\n".encode(), "text/csv"),
            ("readme", "سلام دنیا".encode(), "text/plain"),
            ("blob.unknownext", b"\x00\x01\x02\x03\xff" * 20, "application/octet-stream"),
            ("song.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 50, "audio/mpeg"),
        ]
        for name, content, expected in cases:
            with self.subTest(name=name):
                self.assertEqual(detect_content_type(io.BytesIO(content), name), expected)

    @override_settings(MAX_ATTACHMENT_SIZE=100)
    def test_it_refuses_a_file_over_the_size_limit_and_stores_nothing(self):
        self.login(self.owner)
        response = self.upload("party", self.party, "big.pdf", b"%PDF" + b"0" * 200)
        self.assertRedirects(response, reverse("parties:detail", args=[self.party.public_id]) + "?tab=attachments",
                             fetch_redirect_response=False)  # fmt: skip
        self.assertFalse(Attachment.objects.exists())
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("the limit is 100" in m for m in messages), messages)

    def test_it_lets_people_who_see_the_record_download_and_nobody_else(self):
        self.login(self.owner)
        self.upload("party", self.party, "contract.pdf", b"%PDF-1.4 contract")
        att = Attachment.objects.get()
        url = reverse("activities:attachment_download", args=[att.public_id])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 contract")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.login(self.readonly)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.portal)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_file_on_a_private_task_is_hidden_from_teammates_and_outsiders(self):
        self.login(self.owner)
        self.upload("task", self.private_task, "secret.png", PNG)
        url = reverse("activities:attachment_download", args=[Attachment.objects.get().public_id])
        self.assertEqual(self.client.get(url).status_code, 200)
        for user in (self.teammate, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_outsider_cannot_attach_to_a_record_they_cannot_see(self):
        self.login(self.outsider)
        response = self.upload("interaction", self.interaction, "x.png", PNG)
        self.assertEqual(response.status_code, 404)
        response = self.upload("party", self.party, "x.png", PNG)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Attachment.objects.exists())

    def test_read_only_users_may_not_attach(self):
        self.login(self.readonly)
        self.assertEqual(self.upload("party", self.party, "x.png", PNG).status_code, 403)

    def test_it_removes_a_file_and_its_stored_content(self):
        self.login(self.owner)
        self.upload("party", self.party, "x.png", PNG)
        att = Attachment.objects.get()
        name = att.file.name
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("activities:attachment_delete", args=[att.public_id]))
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(default_storage.exists(name))

    def test_a_target_row_points_at_exactly_one_record(self):
        att = Attachment.objects.create(owner=self.owner, name="x", file="x")
        with self.assertRaises(IntegrityError), transaction.atomic():
            AttachmentTarget.objects.create(
                attachment=att, party=self.party, interaction=self.interaction
            )
        with self.assertRaises(IntegrityError), transaction.atomic():
            AttachmentTarget.objects.create(attachment=att)
