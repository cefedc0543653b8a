"""Importing parties through the screens: upload, columns, preview, run, result."""

import csv
import io

from django.test import override_settings
from django.urls import reverse

from mitra.core.imports.models import ImportJob, ImportRowError
from mitra.core.testing import BaseTestCase
from mitra.parties.models import ContactPoint, Group, Kind, Party, RoleKind, Stage

from .factories import make_party
from .io_helpers import ImportSteps, csv_bytes

HEADER = ["Name", "Phone", "Email", "City", "Roles", "Stage", "Type"]


class ImportFlowTests(ImportSteps, BaseTestCase):
    def test_it_walks_upload_columns_preview_and_result(self):
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("parties:import")).status_code, 200)
        content = csv_bytes([HEADER, ["Acme Trading", "02 123 4567", "info@acme.example", "Bangkok",
                                      "customer; supplier", "customer", "organisation"]])  # fmt: skip
        response = self.upload(content)
        job = self.latest_job(self.owner)
        self.assertRedirects(response, reverse("parties:import_columns", args=[job.public_id]))
        self.assertEqual(job.headers, HEADER)
        # The columns are recognised by their names.
        self.assertEqual(
            job.mapping,
            {"name": 0, "phone": 1, "email": 2, "city": 3, "roles": 4, "stage": 5, "kind": 6},
        )
        self.assertEqual(self.columns(job).status_code, 302)
        preview = self.preview(job)
        self.assertContains(preview, "Acme Trading")
        self.assertContains(preview, "New")
        self.assertFalse(Party.objects.exists())  # nothing written before the run
        response = self.start_import(job)
        self.assertRedirects(response, reverse("parties:import_job", args=[job.public_id]))
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual((job.created_count, job.failed_count), (1, 0))
        party = Party.objects.get()
        self.assertEqual(party.kind, Kind.ORGANISATION)
        self.assertEqual(party.stage, Stage.CUSTOMER)
        self.assertEqual(party.owner, self.owner)
        self.assertEqual(party.team, self.p.alpha)
        self.assertEqual(sorted(party.role_values()), [RoleKind.CUSTOMER, RoleKind.SUPPLIER])
        phone = party.contact_points.get(kind=ContactPoint.Kind.PHONE)
        self.assertEqual((phone.value, phone.e164), ("02 123 4567", "+6621234567"))
        self.assertEqual(
            party.contact_points.get(kind=ContactPoint.Kind.EMAIL).value, "info@acme.example"
        )
        self.assertEqual(party.addresses.get().city, "Bangkok")
        self.assertRegex(party.code, r"^P\d{6}$")
        record = party.history.get()
        self.assertEqual((record.history_type, record.history_user), ("+", self.owner))
        self.assertIn("parties.csv", record.history_change_reason)
        result = self.client.get(reverse("parties:import_job", args=[job.public_id]))
        self.assertContains(result, "Finished")

    def test_it_reports_bad_rows_and_imports_the_good_ones(self):
        content = csv_bytes([
            ["Name", "Phone", "Email", "Stage"],
            ["Good One", "081 234 5678", "one@example.com", "prospect"],
            ["", "081 234 0000", "", ""],  # no name
            ["Bad Mail", "", "not-an-email", ""],
            ["Bad Stage", "", "", "galaxy"],
            ["Bad Phone", "12", "", ""],
            ["Good Two", "", "two@example.com", ""],
        ])  # fmt: skip
        job = self.import_file(self.owner, content)
        self.assertEqual((job.created_count, job.failed_count, job.rows_done), (2, 4, 6))
        self.assertEqual(
            set(Party.objects.values_list("name", flat=True)), {"Good One", "Good Two"}
        )
        # Nothing of a bad row was written: no stray contact points.
        self.assertEqual(ContactPoint.objects.count(), 3)
        errors = list(job.row_errors.order_by("row_number"))
        self.assertEqual([e.row_number for e in errors], [3, 4, 5, 6])
        self.assertIn("name", errors[0].message.lower())
        self.assertIn("not-an-email", errors[1].message)
        self.assertIn("galaxy", errors[2].message)
        self.assertEqual(errors[1].values, ["Bad Mail", "", "not-an-email", ""])
        # The report: original row + the reason, ready to fix and import again.
        response = self.client.get(reverse("parties:import_errors", args=[job.public_id]))
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(body)))
        self.assertEqual(lines[0], ["Row", "Name", "Phone", "Email", "Stage", "Error"])
        self.assertEqual(lines[2][:5], ["4", "Bad Mail", "", "not-an-email", ""])
        self.assertIn("not-an-email", lines[2][5])
        self.assertEqual(len(lines), 5)
        result = self.client.get(reverse("parties:import_job", args=[job.public_id]))
        self.assertContains(result, "Download the error report")

    def test_it_never_half_writes_a_row_that_fails_in_the_database(self):
        make_party(self.owner, "Existing", code="X-1")
        content = csv_bytes([["Name", "Code", "Phone"], ["First", "", "081 111 1111"],
                             ["Clash", "X-1", "081 222 2222"], ["Third", "", "081 333 3333"]])  # fmt: skip
        # "create anyway" on the row whose code is taken: the database refuses it.
        job = self.import_file(self.owner, content, duplicate_choice="create")
        self.assertEqual((job.created_count, job.failed_count), (2, 1))
        self.assertFalse(Party.objects.filter(name="Clash").exists())
        self.assertFalse(ContactPoint.objects.filter(e164="+66812222222").exists())
        self.assertTrue(ContactPoint.objects.filter(e164="+66813333333").exists())
        self.assertEqual(job.row_errors.get().row_number, 3)

    def test_it_requires_a_name_column(self):
        self.login(self.owner)
        self.upload(csv_bytes([["Phone"], ["081 234 5678"]]))
        job = self.latest_job(self.owner)
        response = self.columns(job)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose the column with the name")

    def test_it_refuses_a_column_used_twice(self):
        self.login(self.owner)
        self.upload(csv_bytes([["Name", "Phone"], ["A", "081 234 5678"]]))
        job = self.latest_job(self.owner)
        response = self.columns(job, col_1="name")
        self.assertContains(response, "already filled")
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.MAPPING)

    def test_it_rejects_files_that_are_not_tables(self):
        self.login(self.owner)
        response = self.upload(b"\x00\x01 not a workbook", name="x.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot be read")
        response = self.upload(b"hello", name="x.pdf")
        self.assertContains(response, "Choose a .csv or .xlsx file")
        self.assertFalse(ImportJob.objects.exists())

    def test_it_offers_an_empty_template_in_the_users_language(self):
        self.owner.language = "th"
        self.owner.save()
        self.login(self.owner)
        response = self.client.get(reverse("parties:import_template"))
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertIn("นามสกุล", header)

    def test_it_creates_missing_groups_and_links_managers(self):
        content = csv_bytes([["Name", "Groups", "Account managers"],
                             ["Acme", "Industry / Automotive; VIP", "teammate"],
                             ["Beta", "Automotive", "nobody-here"]])  # fmt: skip
        role = self.owner.role  # creating groups needs the shared configuration right
        role.permissions = {**role.permissions, "configuration": ["edit"]}
        role.save()
        job = self.import_file(self.owner, content)
        self.assertEqual((job.created_count, job.failed_count), (1, 1))
        acme = Party.objects.get(name="Acme")
        automotive = Group.objects.get(name="Automotive")
        self.assertEqual(automotive.parent.name, "Industry")
        self.assertEqual(sorted(g.name for g in acme.groups.all()), ["Automotive", "VIP"])
        self.assertEqual(list(acme.managers.all()), [self.teammate])
        self.assertIn("nobody-here", job.row_errors.get().message)

    def test_without_the_configuration_right_a_missing_group_is_a_row_error(self):
        content = csv_bytes([["Name", "Groups"], ["Acme", "VIP"]])
        job = self.import_file(self.owner, content)
        self.assertEqual((job.created_count, job.failed_count), (0, 1))
        self.assertIn("VIP", job.row_errors.get().message)
        self.assertFalse(Group.objects.exists())

    def test_it_keeps_the_job_private_to_its_owner(self):
        job = self.import_file(self.owner, csv_bytes([["Name"], ["Mine"]]))
        for persona in (self.teammate, self.outsider):
            self.login(persona)
            for name in ("import_job", "import_errors", "import_columns", "import_preview"):
                url = reverse(f"parties:{name}", args=[job.public_id])
                self.assertEqual(self.client.get(url).status_code, 404, (persona, name))
            self.assertEqual(
                self.client.post(
                    reverse("parties:import_cancel", args=[job.public_id])
                ).status_code,
                404,
            )
            self.assertNotContains(self.client.get(reverse("parties:import")), "parties.csv")
        self.login(self.owner)
        self.assertContains(self.client.get(reverse("parties:import")), "parties.csv")

    def test_it_forbids_import_without_the_right(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(reverse("parties:import")).status_code, 403)
        response = self.upload(csv_bytes([["Name"], ["X"]]))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ImportJob.objects.exists())
        self.login(self.portal)
        self.assertEqual(self.client.get(reverse("parties:import")).status_code, 403)

    def test_it_asks_to_sign_in(self):
        response = self.client.get(reverse("parties:import"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])


@override_settings(IMPORT_INLINE_MAX_BYTES=0)
class BackgroundImportTests(ImportSteps, BaseTestCase):
    def test_it_runs_large_files_in_the_worker_and_shows_progress(self):
        self.login(self.owner)
        rows = [["Name", "Mobile"]] + [[f"Person {i}", f"08{i % 10}{i:07d}"] for i in range(50)]
        self.upload(csv_bytes(rows))
        job = self.latest_job(self.owner)
        self.columns(job)
        url = reverse("parties:import_preview", args=[job.public_id])
        # Queued, not run, until the transaction commits and the worker picks it up.
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.client.post(url, {"duplicate_choice": "skip"})
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.QUEUED)
        page = self.client.get(reverse("parties:import_job", args=[job.public_id]))
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()  # the test settings run tasks immediately, as the worker would
        job.refresh_from_db()
        self.assertEqual(
            (job.status, job.rows_total, job.rows_done), (ImportJob.Status.DONE, 50, 50)
        )
        self.assertEqual(job.percent, 100)
        partial = self.client.get(
            reverse("parties:import_job", args=[job.public_id]), headers={"HX-Request": "true"}
        )
        self.assertNotContains(partial, "every 1s")  # finished: polling stops
        self.assertNotContains(partial, "<html")
        self.assertContains(partial, "50")
        self.assertEqual(Party.objects.count(), 50)

    def test_it_can_be_stopped(self):
        self.login(self.owner)
        self.upload(csv_bytes([["Name"], ["A"], ["B"]]))
        job = self.latest_job(self.owner)
        self.columns(job)
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(
                reverse("parties:import_preview", args=[job.public_id]),
                {"duplicate_choice": "skip"},
            )
        self.client.post(reverse("parties:import_cancel", args=[job.public_id]))
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.CANCELLED)
        from mitra.core.imports.runner import run_job

        run_job(job)  # a worker picking it up later leaves it alone
        self.assertFalse(Party.objects.exists())
        self.assertFalse(ImportRowError.objects.exists())
