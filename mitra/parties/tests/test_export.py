"""Exporting the party list: same scope and filters as the list, CSV and XLSX, streamed."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Kind, Party, RoleKind, Stage

from .factories import make_group, make_party
from .io_helpers import ImportSteps


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response):
    from openpyxl import load_workbook

    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


class ExportTests(ImportSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = make_group("Automotive", make_group("Industry"))
        cls.acme = make_party(cls.p.owner, "Acme Co", roles=[RoleKind.CUSTOMER, RoleKind.SUPPLIER],
                              phone="02 123 4567", email="info@acme.example", city="Bangkok",
                              stage=Stage.CUSTOMER, tax_id="0105555000001")  # fmt: skip
        cls.acme.groups.add(cls.group)
        cls.acme.managers.add(cls.p.teammate)
        cls.somchai = make_party(
            cls.p.teammate, "สมชาย ใจดี", kind=Kind.PERSON, roles=[RoleKind.LEAD]
        )
        cls.persian = make_party(cls.p.owner, "شرکت پارس", roles=[RoleKind.DEALER], city="تهران")
        cls.secret = make_party(cls.p.outsider, "Outsider Secret", roles=[RoleKind.CUSTOMER])

    def export(self, **params):
        return self.client.get(reverse("parties:export"), params)

    def test_it_exports_csv_with_the_lists_scope(self):
        self.login(self.teammate)
        response = self.export(format="csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertTrue(response.streaming)
        rows = read_csv(response)
        header = rows[0]
        by_name = {r[header.index("Name")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
        self.assertEqual(set(by_name), {"Acme Co", "สมชาย ใจดี", "شرکت پارس"})
        acme = by_name["Acme Co"]
        self.assertEqual(acme["Code"], self.acme.code)
        self.assertEqual(acme["Roles"], "Customer; Supplier")
        self.assertEqual(acme["Phone"], "02 123 4567")
        self.assertEqual(acme["Email"], "info@acme.example")
        self.assertEqual(acme["City"], "Bangkok")
        self.assertEqual(acme["Groups"], "Industry / Automotive")
        self.assertEqual(acme["Account managers"], "teammate")
        self.assertEqual(acme["Stage"], "Customer")
        self.assertEqual(acme["Tax ID"], "0105555000001")
        self.assertEqual(by_name["شرکت پارس"]["City"], "تهران")

    def test_it_exports_what_the_filters_show(self):
        self.login(self.teammate)
        rows = read_csv(self.export(format="csv", role=RoleKind.LEAD))
        self.assertEqual([r[2] for r in rows[1:]], ["สมชาย ใจดี"])
        rows = read_csv(self.export(format="csv", q="Acme"))
        self.assertEqual([r[2] for r in rows[1:]], ["Acme Co"])
        rows = read_csv(self.export(format="csv", group=str(self.group.parent.public_id)))
        self.assertEqual([r[2] for r in rows[1:]], ["Acme Co"])  # sub-groups included
        rows = read_csv(self.export(format="csv", ids=[str(self.persian.public_id)]))
        self.assertEqual([r[2] for r in rows[1:]], ["شرکت پارس"])

    def test_it_exports_xlsx(self):
        self.login(self.teammate)
        response = self.export(format="xlsx", sort="name")
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn(".xlsx", response["Content-Disposition"])
        rows = read_xlsx(response)
        self.assertEqual(rows[0][:3], ["Code", "Person or organisation", "Name"])
        self.assertEqual([r[2] for r in rows[1:]], ["Acme Co", "شرکت پارس", "สมชาย ใจดี"])

    def test_it_never_exports_another_teams_parties(self):
        self.login(self.outsider)
        rows = read_csv(self.export(format="csv"))
        self.assertEqual([r[2] for r in rows[1:]], ["Outsider Secret"])
        # Asking for them by id does not help.
        rows = read_csv(self.export(format="csv", ids=[str(self.acme.public_id)]))
        self.assertEqual(rows[1:], [])
        self.login(self.owner)  # own scope: own parties only
        rows = read_csv(self.export(format="csv"))
        self.assertEqual({r[2] for r in rows[1:]}, {"Acme Co", "شرکت پارس"})

    def test_it_needs_the_export_right(self):
        self.login(self.readonly)  # may view the list, not export it
        self.assertEqual(self.client.get(reverse("parties:list")).status_code, 200)
        self.assertEqual(self.export(format="csv").status_code, 403)
        self.assertEqual(self.export().status_code, 403)
        self.login(self.portal)
        self.assertEqual(self.export(format="csv").status_code, 403)

    def test_it_offers_the_formats_first(self):
        self.login(self.teammate)
        response = self.export(role=RoleKind.LEAD)
        self.assertContains(response, "format=xlsx")
        self.assertContains(response, "role=lead")
        self.assertEqual(response.context["count"], 1)

    def test_it_escapes_cells_a_spreadsheet_would_run(self):
        make_party(self.p.teammate, '=HYPERLINK("http://evil")', comments="@SUM(1)")
        self.login(self.teammate)
        rows = read_csv(self.export(format="csv", q="HYPERLINK"))
        header = rows[0]
        self.assertTrue(rows[1][header.index("Name")].startswith("'="))
        self.assertEqual(rows[1][header.index("Comments")], "'@SUM(1)")
        self.assertEqual(
            read_csv(self.export(format="csv", q="Acme"))[1][header.index("Phone")], "02 123 4567"
        )
        xlsx = read_xlsx(self.export(format="xlsx", q="HYPERLINK"))
        self.assertEqual(xlsx[1][2], '=HYPERLINK("http://evil")')  # kept as text, not a formula

    def test_it_reads_a_constant_number_of_queries(self):
        self.login(self.teammate)
        for i in range(30):
            party = make_party(
                self.p.teammate, f"Extra {i}", roles=[RoleKind.CUSTOMER], phone=f"02 555 {i:04d}"
            )
            party.groups.add(self.group)

        def count(**params):
            with CaptureQueriesContext(connection) as ctx:
                response = self.export(format="csv", **params)
                rows = read_csv(response)
            return len(ctx.captured_queries), len(rows)

        count()  # the first request of a session also writes the session once
        few_queries, few_rows = count(q="Acme")
        many_queries, many_rows = count()
        self.assertEqual(few_rows, 2)
        self.assertEqual(many_rows, 34)
        self.assertEqual(few_queries, many_queries)
        # Session and user, the policy, the group tree, the parties and five prefetches.
        with self.assertNumQueries(many_queries):
            read_csv(self.export(format="csv"))

    def test_it_reads_in_chunks_with_the_same_queries_per_chunk(self):
        from mitra.core import exports
        from mitra.parties.views.io import export_spec

        for i in range(5):
            make_party(self.p.teammate, f"Chunk {i}", roles=[RoleKind.CUSTOMER])
        qs = Party.objects.visible_to(self.teammate).order_by("pk")
        spec = export_spec()
        # One query for the parties (a cursor read in chunks) + five prefetches per chunk.
        with self.assertNumQueries(1 + 5 * 4):
            lines = list(exports.csv_lines(qs, spec, chunk_size=2))
        self.assertEqual(len(lines), 1 + qs.count())

    def test_it_round_trips_through_the_import(self):
        self.login(self.teammate)
        content = b"".join(self.export(format="csv").streaming_content)
        Party.objects.all().delete()
        job = self.import_file(self.owner, content, name="export.csv", duplicate_choice="create")
        self.assertEqual(
            (job.created_count, job.failed_count),
            (3, 0),
            list(job.row_errors.values_list("message", flat=True)),
        )
        acme = Party.objects.get(name="Acme Co")
        self.assertEqual(acme.code, self.acme.code)
        self.assertEqual(sorted(acme.role_values()), [RoleKind.CUSTOMER, RoleKind.SUPPLIER])
        self.assertEqual(acme.contact_points.get(kind="phone").e164, "+6621234567")
        self.assertEqual([g.name for g in acme.groups.all()], ["Automotive"])
        self.assertEqual(list(acme.managers.all()), [self.teammate])
