"""Rows that match existing parties: skip, update or create, for all and row by row."""

from django.test import override_settings
from django.urls import reverse

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties.models import ContactPoint, Party, RoleKind

from .factories import make_customer, make_party
from .io_helpers import ImportSteps, csv_bytes

ROWS = [
    ["Name", "Phone", "Email", "Roles", "Tax ID"],
    ["Acme Co", "02 999 9999", "new@acme.example", "supplier", ""],  # same name as Acme
    ["Someone Else", "", "sales@beta.example", "", ""],  # same email as Beta
    ["Gamma", "", "", "", "0105555000001"],  # same tax ID as Gamma Ltd
    ["Brand New", "081 000 0001", "", "", ""],
]


class ImportDuplicateTests(ImportSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner)
        cls.beta = make_party(cls.p.owner, "Beta Trading", email="sales@beta.example")
        cls.gamma = make_party(cls.p.owner, "Gamma Ltd", tax_id="0105555000001")
        cls.secret = make_party(cls.p.outsider, "Outsider Secret", email="hidden@outsider.example")

    def test_it_skips_matching_rows_by_default(self):
        job = self.import_file(self.owner, csv_bytes(ROWS))
        self.assertEqual((job.created_count, job.skipped_count, job.updated_count), (1, 3, 0))
        self.assertEqual(Party.objects.count(), 5)
        self.assertFalse(self.acme.contact_points.filter(e164="+6629999999").exists())

    def test_it_updates_matching_rows_when_asked(self):
        job = self.import_file(self.owner, csv_bytes(ROWS), duplicate_choice="update")
        self.assertEqual((job.created_count, job.updated_count), (1, 3))
        self.assertEqual(Party.objects.count(), 5)
        # New contact points and roles are added; nothing the party had is lost.
        self.assertEqual(
            set(self.acme.contact_points.values_list("e164", flat=True)),
            {"+6621234567", "+6629999999", ""},
        )
        self.assertEqual(sorted(self.acme.role_values()), [RoleKind.CUSTOMER, RoleKind.SUPPLIER])
        self.assertTrue(self.beta.contact_points.filter(value="sales@beta.example").exists())
        record = self.acme.history.order_by("-history_date").first()
        self.assertEqual(record.history_user, self.owner)

    def test_it_creates_anyway_when_asked(self):
        job = self.import_file(self.owner, csv_bytes(ROWS), duplicate_choice="create")
        self.assertEqual(job.created_count, 4)
        self.assertEqual(Party.objects.filter(name="Acme Co").count(), 2)

    def test_it_honours_a_choice_per_row(self):
        # Default skip; row 2 (Acme) updated, row 4 (Gamma) created anyway.
        job = self.import_file(self.owner, csv_bytes(ROWS), overrides={2: "update", 4: "create"})
        self.assertEqual(list(job.row_errors.values_list("message", flat=True)), [])
        self.assertEqual((job.created_count, job.updated_count, job.skipped_count), (2, 1, 1))
        self.assertTrue(self.acme.contact_points.filter(e164="+6629999999").exists())
        self.assertEqual(Party.objects.filter(name="Gamma").count(), 1)
        self.assertFalse(self.beta.contact_points.exclude(value="sales@beta.example").exists())

    def test_it_shows_matches_in_the_preview_with_a_choice(self):
        self.login(self.owner)
        self.upload(csv_bytes(ROWS))
        job = self.latest_job(self.owner)
        self.columns(job)
        response = self.preview(job)
        self.assertContains(response, self.acme.code)
        self.assertContains(response, reverse("parties:detail", args=[self.acme.public_id]))
        self.assertContains(response, 'name="row_2"')
        self.assertNotContains(response, 'name="row_5"')  # a new party has nothing to choose

    def test_it_never_matches_parties_the_user_cannot_see(self):
        rows = [["Name", "Email"], ["Outsider Secret", "hidden@outsider.example"]]
        job = self.import_file(self.owner, csv_bytes(rows), duplicate_choice="update")
        self.assertEqual((job.created_count, job.updated_count), (1, 0))
        self.secret.refresh_from_db()
        self.assertEqual(self.secret.owner, self.outsider)

    def test_it_matches_rows_repeated_in_the_same_file(self):
        rows = [["Name", "Mobile"], ["Dup Person", "081 555 0000"], ["Dup Person", "0815550000"],
                ["Other", "+66 81 555 0000"]]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual((job.created_count, job.skipped_count), (1, 2))
        self.assertEqual(ContactPoint.objects.filter(e164="+66815550000").count(), 1)

    def test_it_updates_a_party_created_earlier_in_the_same_file(self):
        rows = [["Name", "Mobile", "Email"], ["Dup Person", "081 555 0000", ""],
                ["Dup Person", "", "dup@example.com"]]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows), duplicate_choice="update")
        self.assertEqual((job.created_count, job.updated_count), (1, 1))
        party = Party.objects.get(name="Dup Person")
        self.assertEqual(party.contact_points.count(), 2)

    def test_it_turns_updates_into_approval_requests_when_edits_need_approval(self):
        edits_need_approval(self.p.roles["owner"])
        job = self.import_file(self.owner, csv_bytes(ROWS[:2]), duplicate_choice="update")
        self.assertEqual(job.updated_count, 1)
        self.assertFalse(self.acme.contact_points.filter(e164="+6629999999").exists())
        self.assertEqual(ApprovalRequest.objects.get().record, self.acme)

    def test_it_reports_updates_the_user_may_not_make(self):
        role = self.p.roles["owner"]
        role.permissions["parties"] = [a for a in role.permissions["parties"] if a != "edit"]
        role.save()
        job = self.import_file(self.owner, csv_bytes(ROWS[:2]), duplicate_choice="update")
        self.assertEqual((job.updated_count, job.failed_count), (0, 1))
        self.assertIn("may not change", job.row_errors.get().message)


class ImportDuplicateRuleTests(ImportSteps, BaseTestCase):
    """The administrator's duplicate rules decide what a match is."""

    def set_rules(self, *rules):
        from mitra.dedupe.models import DuplicateRule

        DuplicateRule.objects.all().delete()
        for fields in rules:
            DuplicateRule.objects.create(fields=fields, name_similarity=100)

    def test_it_matches_only_by_the_fields_of_the_rules(self):
        make_party(self.owner, "John Smith", phone="02 111 1111")
        self.set_rules(["name", "phone"])
        rows = [["Name", "Phone"], ["John Smith", "02 222 2222"], ["John Smith", "02 111 1111"]]
        job = self.import_file(self.owner, csv_bytes(rows))
        # Same name alone is not enough; name and phone together are.
        self.assertEqual((job.created_count, job.skipped_count), (1, 1))

    def test_it_matches_ids_written_with_or_without_punctuation(self):
        existing = make_party(self.owner, "Siam Co", tax_id="0-1055-55000-00-1")
        self.set_rules(["tax_id"])
        rows = [["Name", "Tax ID"], ["Siam Company", "0105555000001"], ["Siam", "0-1055-55000-00-1"],
                ["Other", "0105555000002"]]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual((job.created_count, job.skipped_count), (1, 2))
        self.assertEqual(Party.objects.filter(tax_id="0-1055-55000-00-1").get(), existing)

    def test_it_still_knows_a_party_by_its_code(self):
        existing = make_party(self.owner, "Coded", code="C-77")
        self.set_rules()  # no rules at all
        job = self.import_file(
            self.owner, csv_bytes([["Code", "Name"], ["c-77", "Renamed"], ["", "Coded"]])
        )
        self.assertEqual((job.created_count, job.skipped_count), (1, 1))
        existing.refresh_from_db()
        self.assertEqual(existing.name, "Coded")


@override_settings(IMPORT_PARALLEL=True, IMPORT_PARALLEL_MIN_ROWS=1)
class ParallelImportDuplicateTests(ImportDuplicateTests):
    """The same, with the file read and parsed in a second process (large files)."""
