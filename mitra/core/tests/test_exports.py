"""The generic export: any queryset and column spec to streamed CSV or XLSX."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone, translation

from mitra.core import exports
from mitra.core.exports import Column, ExportSpec, export_response, safe_text
from mitra.core.testing import BaseTestCase
from mitra.users.models import Team, User

SPEC = ExportSpec(
    [
        Column("Team", "name"),
        Column("Lead", "lead.username"),
        Column("Members", lambda t: sorted(u.username for u in t.members.all())),
    ],
    select_related=["lead"],
    prefetch_related=["members"],
)


def body(response):
    return b"".join(response.streaming_content)


class ExportTests(BaseTestCase):
    def test_it_streams_csv_with_a_bom(self):
        response = export_response(Team.objects.order_by("name"), SPEC, "csv", "teams")
        self.assertTrue(response.streaming)
        self.assertRegex(
            response["Content-Disposition"], r'attachment; filename="teams-\d{4}-\d\d-\d\d\.csv"'
        )
        content = body(response)
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        self.assertEqual(rows, [["Team", "Lead", "Members"], ["Alpha", "teammate", "owner; readonly; teammate"],
                                ["Beta", "", "outsider"]])  # fmt: skip

    def test_it_writes_xlsx_with_typed_cells(self):
        from openpyxl import load_workbook

        spec = ExportSpec([Column("Name", "username"), Column("Joined", "date_joined"), Column("Active", "is_active"),
                           Column("Amount", lambda u: Decimal("12.50")), Column("Day", lambda u: dt.date(2024, 1, 2))])  # fmt: skip
        response = export_response(User.objects.filter(username="owner"), spec, "xlsx", "users")
        wb = load_workbook(io.BytesIO(body(response)))
        rows = list(wb.active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Name", "Joined", "Active", "Amount", "Day"))
        self.assertEqual(rows[1][0], "owner")
        self.assertIsInstance(rows[1][1], dt.datetime)
        self.assertEqual(rows[1][2:], ("yes", 12.5, dt.datetime(2024, 1, 2)))

    def test_it_lays_xlsx_out_right_to_left_in_persian(self):
        from openpyxl import load_workbook

        with translation.override("fa"):
            response = export_response(Team.objects.all(), SPEC, "xlsx", "teams")
        wb = load_workbook(io.BytesIO(body(response)))
        self.assertTrue(wb.active.sheet_view.rightToLeft)

    def test_it_keeps_the_requests_language_and_time_zone_while_streaming(self):
        spec = ExportSpec([Column("Joined", lambda u: timezone.make_aware(dt.datetime(2024, 1, 1, 12, 0), dt.UTC)),
                           Column("Active", "is_active")])  # fmt: skip
        with translation.override("th"), timezone.override("Asia/Bangkok"):
            response = export_response(User.objects.filter(username="owner"), spec, "csv", "users")
        content = body(response).decode("utf-8-sig")  # consumed after both overrides ended
        self.assertIn("2024-01-01 19:00", content)
        self.assertNotIn(",yes", content)

    def test_it_formats_values_for_spreadsheets(self):
        self.assertEqual(exports.text(None), "")
        self.assertEqual(exports.text(dt.date(2024, 5, 6)), "2024-05-06")
        self.assertEqual(exports.text(["a", None, "b"]), "a; b")
        self.assertEqual(safe_text("=1+2"), "'=1+2")
        self.assertEqual(safe_text("@cmd"), "'@cmd")
        self.assertEqual(safe_text("+1+2"), "'+1+2")
        self.assertEqual(safe_text("+66 81 234 5678"), "+66 81 234 5678")
        self.assertEqual(safe_text("-12.5"), "-12.5")

    def test_it_reads_a_constant_number_of_queries_per_chunk(self):
        for i in range(7):
            Team.objects.create(name=f"Extra {i}", lead=self.owner).members.add(self.owner)
        qs = Team.objects.order_by("pk")  # 9 teams
        with self.assertNumQueries(1 + 5):  # the teams (with lead), members per chunk of 2
            lines = list(exports.csv_lines(qs, SPEC, chunk_size=2))
        self.assertEqual(len(lines), 10)
        with self.assertNumQueries(1 + 1):
            list(exports.csv_lines(qs, SPEC, chunk_size=100))

    def test_it_defaults_to_csv(self):
        response = export_response(Team.objects.all(), SPEC, "pdf", "teams")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
