"""The party fact sheet (core.documents): three languages, the policy, issued snapshots,
and the administrator's template editor."""

import hashlib
import shutil
import subprocess
import tempfile

import jdatetime
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mitra.core.documents.models import CompanyProfile, DocumentTemplate, IssuedDocument
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_group, make_party

TYPE = "parties.fact_sheet"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout


class FactSheetTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(
            cls.owner, name="สยามพาณิชย์", roles=[RoleKind.CUSTOMER], phone="+66 81 234 5678",
            email="info@siam.example", city="Bangkok", tax_id="0105558000001",
        )  # fmt: skip
        cls.party.groups.add(make_group("VIP"))
        cls.party.managers.add(cls.teammate)
        cls.fa_party = make_party(cls.owner, name="شرکت آریا")
        profile = CompanyProfile.current()
        profile.name = "Mitra Co"
        profile.localized = {"th": {"name": "บริษัท มิตร จำกัด"}, "fa": {"name": "شرکت میترا"}}
        profile.save()

    def url(self, name, party=None, *args):
        return reverse(f"documents:{name}", args=[TYPE, (party or self.party).public_id, *args])

    def get_pdf(self, language, party=None):
        response = self.client.get(self.url("pdf", party, language))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        pdf = response.content
        self.assertTrue(pdf.startswith(b"%PDF"))
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed; .ci/run installs it")
        return pdf_text(pdf)

    def test_the_party_page_links_to_the_fact_sheet(self):
        self.login(self.owner)
        response = self.client.get(reverse("parties:detail", args=[self.party.public_id]))
        self.assertContains(response, self.url("record"))

    def test_it_renders_in_english(self):
        self.login(self.owner)
        text = self.get_pdf("en")
        self.assertIn("Fact sheet", text)
        self.assertIn("0105558000001", text)
        self.assertIn("Customer", text)
        self.assertIn("VIP", text)
        self.assertIn("teammate", text)
        self.assertIn("info@siam.example", text)
        self.assertIn(str(timezone.localdate().year), text)

    def test_it_renders_in_thai_in_the_buddhist_era(self):
        self.login(self.owner)
        text = self.get_pdf("th")
        self.assertIn("ข้อมูลสรุป", text)
        self.assertIn("พ.ศ. " + str(timezone.localdate().year + 543), text)
        self.assertIn("ลูกค้า", text)  # the role, in Thai

    def test_it_renders_in_persian_in_the_jalali_calendar(self):
        self.login(self.owner)
        text = self.get_pdf("fa", self.fa_party)
        self.assertIn("مشخصات", text)
        self.assertIn("آریا", text)
        year = jdatetime.date.fromgregorian(date=timezone.localdate()).year
        self.assertIn(str(year).translate(PERSIAN), text)
        self.assertIn("شرکت میترا", text)  # the letterhead in Persian

    def test_persian_is_right_to_left_and_thai_and_persian_fonts_are_embedded(self):
        from mitra.core.documents import engine
        from mitra.core.documents.registry import get_document_type

        html = engine.render_html(get_document_type(TYPE), self.party, self.owner, "fa")
        self.assertIn('dir="rtl"', html)
        self.assertIn("Vazirmatn", html)
        self.assertIn(
            'dir="ltr"', engine.render_html(get_document_type(TYPE), self.party, self.owner, "th")
        )

    def test_an_outsider_gets_404_everywhere(self):
        self.login(self.owner)
        self.client.post(self.url("issue"), {"language": "en"})
        issued = IssuedDocument.objects.get()
        for user in (self.outsider, self.portal):
            self.login(user)
            for url in (self.url("record"), self.url("pdf", None, "th"),
                        reverse("documents:issued", args=[issued.public_id])):  # fmt: skip
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(
                self.client.post(self.url("issue"), {"language": "en"}).status_code, 404
            )
        self.assertEqual(IssuedDocument.objects.count(), 1)

    def test_read_only_may_open_but_not_issue(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url("record")).status_code, 200)
        self.assertEqual(self.client.post(self.url("issue"), {"language": "en"}).status_code, 403)
        self.assertFalse(IssuedDocument.objects.exists())

    def test_issuing_stores_snapshots_that_never_change(self):
        self.login(self.owner)
        response = self.client.post(self.url("issue"), {"language": "th"})
        self.assertRedirects(response, self.url("record"))
        first = IssuedDocument.objects.get()
        self.assertEqual((first.revision, first.language, first.issued_by), (1, "th", self.owner))
        first_bytes = first.file.read()
        first.file.close()
        self.assertEqual(hashlib.sha256(first_bytes).hexdigest(), first.sha256)

        # The template changes; re-issuing makes revision 2 and leaves revision 1 alone.
        template = DocumentTemplate.objects.get(doc_type=TYPE, language="th")
        template.footer = "แก้ไขแล้ว"
        template.save()
        self.client.post(self.url("issue"), {"language": "fa"})
        second = IssuedDocument.objects.get(revision=2)
        self.assertEqual(second.language, "fa")
        self.assertNotEqual(second.file.name, first.file.name)
        first.refresh_from_db()
        with first.file.open("rb") as handle:
            self.assertEqual(handle.read(), first_bytes)

        with self.assertRaises(ValidationError):
            first.save()
        with self.assertRaises(ValidationError):
            first.delete()

        response = self.client.get(reverse("documents:issued", args=[first.public_id]))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(b"".join(response.streaming_content), first_bytes)

    def test_a_double_submitted_issue_makes_one_revision(self):
        self.login(self.owner)
        page = self.client.get(self.url("record"))
        token = page.context["form"]["form_token"].value()
        self.assertContains(page, f'value="{token}"')
        data = {"language": "en", "form_token": token}
        first = self.client.post(self.url("issue"), data)
        again = self.client.post(self.url("issue"), data, follow=True)
        self.assertRedirects(first, self.url("record"))
        self.assertContains(again, "already saved")
        self.assertEqual(IssuedDocument.objects.count(), 1)
        # A fresh form (a new token) issues the next revision.
        token = self.client.get(self.url("record")).context["form"]["form_token"].value()
        self.client.post(self.url("issue"), {"language": "th", "form_token": token})
        self.assertEqual(list(IssuedDocument.objects.values_list("revision", flat=True)), [2, 1])

    def test_bad_language_changes_nothing(self):
        self.login(self.owner)
        response = self.client.post(self.url("issue"), {"language": "xx"}, follow=True)
        self.assertContains(response, "Choose a language")
        self.assertFalse(IssuedDocument.objects.exists())
        self.assertEqual(self.client.get(self.url("pdf", None, "xx")).status_code, 404)

    def test_the_record_page_lists_revisions_in_fixed_queries(self):
        self.login(self.owner)
        for language in ("en", "th"):
            self.client.post(self.url("issue"), {"language": language})
        self.client.get(self.url("record"))  # warm the content-type cache
        # session, user, the record, the page of revisions (its total rides along), edit right
        with self.assertNumQueries(5):
            response = self.client.get(self.url("record"))
        self.assertContains(response, "SHA-256")
        self.assertContains(response, "ไทย")

    def test_the_revisions_list_per_persona_and_by_language(self):
        self.login(self.owner)
        for language in ("en", "th"):
            self.client.post(self.url("issue"), {"language": language})
        counts = {"owner": 5, "teammate": 5, "readonly": 4, "admin": 4, "outsider": None}
        self.assertListQueries(self.url("record"), counts)
        self.login(self.owner)
        response = self.client.get(self.url("record"), {"language": "th"})
        self.assertEqual([d.language for d in response.context["page"].object_list], ["th"])
        response = self.client.get(
            self.url("record"), {"language": "fa"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'data-list-empty="filtered"')
        self.assertNotContains(response, "<html")


class TemplateEditorTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.admin, name="Acme Co")
        cls.edit_url = reverse("documents:template_edit", args=[TYPE, "th"])

    def post(self, **changes):
        data = {"title": "ข้อมูลสรุป: {{ party.name }}", "header": "", "footer": "",
                "css": "", "body": "<p>{{ party.code }}</p>", "show_letterhead": "on", **changes}  # fmt: skip
        return self.client.post(self.edit_url, data)

    def test_only_the_configuration_right_opens_the_editor(self):
        for user in (self.owner, self.teammate, self.readonly):
            self.login(user)
            self.assertEqual(self.client.get(self.edit_url).status_code, 403)
            self.assertEqual(self.client.get(reverse("documents:templates")).status_code, 403)
        self.login(self.admin)
        self.assertContains(self.client.get(self.edit_url), "ข้อมูลสรุป")

    def test_the_list_shows_each_type_and_language_in_fixed_queries(self):
        self.login(self.admin)
        self.client.get(reverse("documents:templates"))
        with self.assertNumQueries(3):
            response = self.client.get(reverse("documents:templates"))
        self.assertContains(response, "Fact sheet", count=3)
        response = self.client.get(reverse("documents:templates"), {"language": "fa"})
        self.assertContains(response, "Fact sheet", count=1)
        counts = {"admin": 3, "owner": None, "teammate": None, "readonly": None}
        self.assertListQueries(reverse("documents:templates"), counts)

    def test_forbidden_tags_are_refused_on_save(self):
        self.login(self.admin)
        for tag in ("{% load static %}", "{% include 'base.html' %}", "{% extends 'base.html' %}",
                    "{% ssi '/etc/passwd' %}", "{% debug %}"):  # fmt: skip
            with self.subTest(tag=tag):
                response = self.post(body=tag)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "is not allowed in a document template")
        self.assertFalse(DocumentTemplate.objects.exists())

    def test_saving_keeps_history_and_versions(self):
        self.login(self.admin)
        self.assertEqual(self.post().status_code, 302)
        template = DocumentTemplate.objects.get(doc_type=TYPE, language="th")
        response = self.client.post(self.edit_url, {
            "title": "x", "body": "<p>y</p>", "version": template.version, "show_letterhead": "on",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        template.refresh_from_db()
        self.assertEqual((template.title, template.version), ("x", 2))
        self.assertEqual(template.history.count(), 2)
        # A stale form (the old version) is refused and changes nothing.
        self.client.post(self.edit_url, {"title": "z", "body": "z", "version": 1})
        template.refresh_from_db()
        self.assertEqual(template.title, "x")

    def test_the_preview_renders_a_record_the_editor_may_see_and_cannot_reach_more(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("documents:template_preview", args=[TYPE, "th"]),
            {"title": "t", "body": "<p>{{ party.name }}|{{ party.owner.password }}|</p>"},
        )
        self.assertContains(response, "srcdoc")
        self.assertContains(response, "Acme Co|")
        self.assertNotContains(response, "argon2")
        response = self.client.post(
            reverse("documents:template_preview", args=[TYPE, "th"]),
            {"title": "t", "body": "{% load i18n %}"},
        )
        self.assertContains(response, "is not allowed")

    def test_the_letterhead_is_edited_with_a_name_per_language(self):
        self.login(self.admin)
        response = self.client.post(reverse("documents:company"), {
            "name": "Mitra Co", "name_th": "บริษัท มิตร", "address_fa": "تهران",
            "version": CompanyProfile.current().version,
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        profile = CompanyProfile.current()
        self.assertEqual(profile.in_language("th")["name"], "บริษัท มิตร")
        self.assertEqual(
            profile.in_language("fa"), {**profile.in_language("en"), "address": "تهران"}
        )
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("documents:company")).status_code, 403)
