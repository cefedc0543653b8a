"""A later app's record gets files through the `attachables` registry, without `activities`
knowing the app. Proven with the party registered under a new kind through the same call a
later app makes (its own model, its own link table, its own rule for who may attach)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Party

from .. import attachables
from ..models import Attachment, AttachmentTarget
from .factories import make_party


def only_the_owner(user, party):
    return party.owner_id == user.pk


class AttachableRegistryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def setUp(self):
        attachables.register_attachable(
            "client",
            Party,
            AttachmentTarget,
            "party",
            url=lambda p: f"/clients/{p.public_id}/",
            may_attach=only_the_owner,
        )
        self.addCleanup(attachables.unregister_attachable, "client")

    def upload(self):
        url = reverse("activities:attachment_upload", args=["client", self.party.public_id])
        return self.client.post(url, {"file": SimpleUploadedFile("offer.pdf", b"%PDF-1.4 offer")})

    def test_a_registered_kind_takes_uploads_lists_and_serves_its_files(self):
        self.login(self.owner)
        r = self.upload()
        self.assertRedirects(r, f"/clients/{self.party.public_id}/", fetch_redirect_response=False)
        att = Attachment.objects.get()
        self.assertEqual(list(Attachment.objects.on(client=self.party)), [att])
        self.assertEqual(AttachmentTarget.objects.get().party, self.party)
        url = reverse("activities:attachment_download", args=[att.public_id])
        self.login(self.teammate)  # sees the party, so sees its files
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(list(Attachment.objects.visible_to(self.teammate)), [att])
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(Attachment.objects.visible_to(self.outsider).exists())

    def test_the_kind_decides_who_may_attach(self):
        self.login(self.teammate)  # may see the party, but this kind lets only its owner
        self.assertEqual(self.upload().status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.upload().status_code, 404)
        self.assertFalse(Attachment.objects.exists())

    def test_an_unknown_kind_is_404(self):
        self.login(self.owner)
        url = reverse("activities:attachment_upload", args=["opportunity", self.party.public_id])
        r = self.client.post(url, {"file": SimpleUploadedFile("offer.pdf", b"%PDF")})
        self.assertEqual(r.status_code, 404)
