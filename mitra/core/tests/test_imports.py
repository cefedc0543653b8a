"""The generic import framework: readers, parsers, the chunked runner, bulk inserts."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import TransactionTestCase, override_settings

from mitra.core.imports import fields as f
from mitra.core.imports.base import Importer
from mitra.core.imports.bulk import BulkInserter, copy_history, in_values
from mitra.core.imports.models import ImportJob
from mitra.core.imports.readers import detect_delimiter, detect_encoding, open_table
from mitra.core.imports.runner import run_job
from mitra.core.testing import BaseTestCase
from mitra.users.models import Team, User

THAI = "ชื่อ,โทรศัพท์\nบริษัท ไทยพาณิชย์ จำกัด,02-111-2222\nนางสาว วรรณา เก่งมาก,0899999999\n"
PERSIAN = "نام,تلفن\nشرکت پارس گستر,021-88776655\nمریم کریمی,09121234567\n"


def table_rows(content, name="x.csv", **kwargs):
    table = open_table(io.BytesIO(content), name, **kwargs)
    return table, list(table.rows())


class ReaderTests(BaseTestCase):
    def test_it_detects_the_encodings_people_use(self):
        cases = [
            (THAI, "utf-8", "utf-8"),
            (THAI, "utf-8-sig", "utf-8-sig"),
            (THAI, "utf-16", "utf-16"),
            (THAI, "utf-16-le", "utf-16-le"),
            (THAI, "cp874", "cp874"),
            (PERSIAN, "utf-8", "utf-8"),
            (PERSIAN, "utf-16", "utf-16"),
            (PERSIAN, "utf-16-be", "utf-16-be"),
            (PERSIAN.replace("ی", "ي"), "cp1256", "cp1256"),
            ("name,city\nJosé,Zürich\n", "cp1252", "cp1252"),
        ]
        for text, encoding, detected in cases:
            with self.subTest(encoding=encoding, text=text[:8]):
                table, rows = table_rows(text.encode(encoding))
                self.assertEqual(table.encoding, detected)
                self.assertEqual(rows[1][0], text.splitlines()[1].split(",")[0])

    def test_it_looks_past_an_english_header_for_the_encoding(self):
        content = ("name,phone\n" + "Somchai,1\n" * 20000 + "สมชาย,2\n").encode("cp874")
        self.assertEqual(detect_encoding(content[:100]), "utf-8")  # the start alone misleads
        table, rows = table_rows(content)
        self.assertEqual(table.encoding, "cp874")
        self.assertEqual(rows[-1], ["สมชาย", "2"])

    def test_it_detects_the_delimiter(self):
        self.assertEqual(detect_delimiter("a;b;c\n1;2;3\n"), ";")
        self.assertEqual(detect_delimiter("a\tb\n1\t2\n"), "\t")
        self.assertEqual(detect_delimiter('name,note\n"Smith; John","a;b"\n'), ",")
        self.assertEqual(detect_delimiter("a|b|c\n1|2|3\n"), "|")

    def test_it_keeps_quoted_newlines_and_skips_blank_rows(self):
        content = b'name,note\n"Acme","line one\nline two"\n,\n\nBeta,x\n'
        _table, rows = table_rows(content)
        self.assertEqual(rows, [["name", "note"], ["Acme", "line one\nline two"], ["Beta", "x"]])

    def test_it_counts_rows(self):
        table = open_table(io.BytesIO(b"a\n1\n2\n\n3\n"), "x.csv")
        self.assertEqual(table.count(), 4)

    def test_the_byte_count_agrees_with_the_rows_read(self):
        """The byte-level count (files without quotes) and the csv module's rows agree, for
        every line ending, blank and delimiter-only lines, a last line without an end, and
        lines split across the 1 MB blocks the count reads."""
        import random

        rnd = random.Random(5)
        pieces = ["สมชาย", "مریم", "a", " ", "", "12"]
        for encoding in ("utf-8", "utf-8-sig", "cp874", "utf-16"):
            for delimiter in (",", ";", "\t", "|"):
                lines = []
                for _ in range(300):
                    cells = [rnd.choice(pieces) for _ in range(rnd.randint(0, 4))]
                    if encoding == "cp874":
                        cells = [c for c in cells if c != "مریم"]
                    lines.append(delimiter.join(cells))
                text = "".join(line + rnd.choice(["\n", "\r\n", "\r"]) for line in lines)
                for content in (text, text.rstrip("\r\n")):
                    raw = content.encode(encoding)
                    table = open_table(
                        io.BytesIO(raw), "x.csv", encoding=encoding, delimiter=delimiter
                    )
                    with self.subTest(encoding=encoding, delimiter=delimiter):
                        self.assertEqual(table.count(), len(list(table.rows())))
        line = b"x" * 98 + b"\r\n"
        big = line * 10485 + b"y" * 75 + b"\r\n" + b"z\r\n"
        table = open_table(io.BytesIO(big), "x.csv", encoding="utf-8", delimiter=",")
        self.assertEqual(big.index(b"y\r\n") + 1, 1024 * 1024 - 1)  # \r ends the first block
        self.assertEqual(table.count(), 10487)
        self.assertEqual(table.count(), len(list(table.rows())))
        # With a quote anywhere the csv module counts (a quoted cell may hold a line end).
        quoted = open_table(io.BytesIO(b'a\n"x\ny"\n'), "x.csv", encoding="utf-8", delimiter=",")
        self.assertIsNone(quoted._count_lines())
        self.assertEqual(quoted.count(), 2)

    def test_it_reads_xlsx_cells_as_text(self):
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["Name", "Phone", "Born", "Amount", "Flag", "When"])
        wb.active.append(
            ["สมชาย", 812345678, dt.date(1990, 1, 2), 12.5, True, dt.datetime(2024, 3, 4, 5, 6)]
        )
        buf = io.BytesIO()
        wb.save(buf)
        table, rows = table_rows(buf.getvalue(), "x.xlsx")
        self.assertEqual(table.format, "xlsx")
        self.assertEqual(
            rows[1], ["สมชาย", "812345678", "1990-01-02", "12.5", "1", "2024-03-04 05:06:00"]
        )
        self.assertEqual(table.count(), 2)


class FieldParserTests(BaseTestCase):
    def test_it_parses_phones_in_any_script(self):
        import phonenumbers

        from mitra.core.text import digits_only, normalize_phone

        parse = f.phone("TH")
        self.assertEqual(parse("๐๘๑-๒๓๔-๕๖๗๘").e164, "+66812345678")
        phone = parse("+98 912 123 4567")
        self.assertEqual((phone.e164, phone.national), ("+989121234567", "09121234567"))
        self.assertEqual(parse("+98 912 765 4321").national, "09127654321")  # from the cache
        for raw in (
            "02 123 4567",
            "+1 650 253 0000",
            "+44 20 7946 0018",
            "+39 06 6982 1234",
            "0812345678",
        ):
            with self.subTest(raw):
                number = phonenumbers.parse(parse(raw).e164)
                national = digits_only(
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                )
                self.assertEqual(
                    (parse(raw).e164, parse(raw).national), (normalize_phone(raw, "TH"), national)
                )
        with self.assertRaises(ValidationError):
            parse("12")

    def test_it_reads_phones_as_the_core_normaliser_does(self):
        from hypothesis import given, settings
        from hypothesis import strategies as st

        from mitra.core.text import normalize_phone

        parsers = {region: f.phone(region) for region in ("TH", "IR", None)}

        def e164(raw, region):
            try:
                return parsers[region](raw).e164 if raw else ""
            except ValidationError:
                return ""

        samples = ["081-234-5678", "+66 81 234 5678", "0066812345678", "001 212 555 1234", "02 123 4567",
                   "12", "", "abc", "+98 912 123 4567", "۰۹۱۲۱۲۳۴۵۶۷", "๐๘๑๒๓๔๕๖๗๘", "0812345678 ext 12",
                   "(02) 123-4567", "+1 650 253 0000", "1234567890123456", "0000000000"]  # fmt: skip
        for raw in samples:
            for region in ("TH", "IR", None):
                with self.subTest(raw=raw, region=region):
                    self.assertEqual(e164(raw, region), normalize_phone(raw, region))

        @settings(max_examples=300, deadline=None)
        @given(
            st.text(alphabet="0123456789+ -()۰۱۲۳๑๒", max_size=18), st.sampled_from(["TH", "IR"])
        )
        def same(raw, region):
            assert e164(raw, region) == normalize_phone(raw, region)

        same()

    def test_it_checks_emails(self):
        self.assertEqual(f.email("Info@Example.COM"), "info@example.com")
        self.assertEqual(f.email("mailto:a.b+c@sub.example.co.th"), "a.b+c@sub.example.co.th")
        for bad in ("not-an-email", "a@b", "a..b@example.com", "a@-example.com"):
            with self.subTest(bad), self.assertRaises(ValidationError):
                f.email(bad)

    def test_it_reads_numbers_dates_and_booleans(self):
        self.assertEqual(f.decimal("1,234.50"), Decimal("1234.50"))
        self.assertEqual(f.decimal("۱۲۳٫۵"), Decimal("123.5"))
        self.assertEqual(f.integer("๓๐"), 30)
        self.assertEqual(f.date("2024-02-29"), dt.date(2024, 2, 29))
        for yes in ("yes", "Y", "1", "ใช่", "بله", "TRUE"):
            self.assertIs(f.boolean(yes), True)
        for no in ("no", "0", "ไม่", "خیر"):
            self.assertIs(f.boolean(no), False)
        for bad, parser in (
            ("abc", f.decimal),
            ("1.5", f.integer),
            ("31/02/2024", f.date),
            ("maybe", f.boolean),
        ):
            with self.subTest(bad), self.assertRaises(ValidationError):
                parser(bad)

    def test_it_reads_choices_by_value_label_or_alias(self):
        parse = f.choice(
            [("person", "Person"), ("organisation", "Organisation")], {"company": "organisation"}
        )
        self.assertEqual(parse("Person"), "person")
        self.assertEqual(parse("ORGANISATION"), "organisation")
        self.assertEqual(parse("Company"), "organisation")
        with self.assertRaisesMessage(ValidationError, "Person, Organisation"):
            parse("robot")
        with self.assertRaises(ValidationError):  # remembered errors are raised again
            parse("robot")

    def test_it_splits_cells_with_several_values(self):
        self.assertEqual(f.many(f.text())("a; b,c | d"), ["a", "b", "c", "d"])
        with self.assertRaises(ValidationError):
            f.text(3)("abcd")


class TeamImporter(Importer):
    """A small importer for the tests: teams by name, written one row at a time."""

    module = "teams"
    chunk_size = 3

    def get_fields(self):
        return [
            f.ImportField(
                "name", "Name", required=True, parser=f.text(100), aliases=["ชื่อทีม", "نام تیم"]
            ),
            f.ImportField("description", "Description", aliases=["รายละเอียด"]),
        ]

    def keys(self, data):
        return [("name", data["name"].casefold())]

    def lookup(self, keys):
        names = [v for _k, v in keys]
        return {
            ("name", t.name.casefold()): t.pk
            for t in Team.objects.all()
            if t.name.casefold() in names
        }

    def create_one(self, row):
        team = Team.objects.create(
            name=row.data["name"], description=row.data.get("description", "")
        )
        if row.data.get("description") == "explode":
            raise ValidationError("exploded after writing")  # the team above must roll back
        return team.pk

    def update_one(self, row):
        Team.objects.filter(pk=row.match).update(description=row.data.get("description", ""))


def make_job(user, rows, **fields):
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    job = ImportJob(owner=user, importer=TeamImporter.path(), original_name="teams.csv",
                    headers=rows[0], mapping={"name": 0, "description": 1}, **fields)  # fmt: skip
    job.file.save("teams.csv", ContentFile(buf.getvalue().encode()), save=False)
    job.save()
    return job


class RunnerTests(BaseTestCase):
    ROWS = [
        ["Name", "Description"],
        ["Red", "first"],
        ["", "no name"],
        ["Blue", "explode"],
        ["Alpha", "matches an existing team"],
        ["Green", "x" * 10],
        ["Red", "again in the same file"],
        ["Bad\ufffdtext", ""],
    ]

    def test_it_imports_good_rows_and_reports_bad_ones(self):
        job = run_job(make_job(self.admin, self.ROWS))
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual((job.rows_total, job.rows_done), (7, 7))
        self.assertEqual((job.created_count, job.skipped_count, job.failed_count), (2, 2, 3))
        self.assertEqual(
            set(Team.objects.values_list("name", flat=True)), {"Alpha", "Beta", "Red", "Green"}
        )
        errors = {e.row_number: e.message for e in job.row_errors.all()}
        self.assertEqual(set(errors), {3, 4, 8})
        self.assertIn("required", errors[3])
        self.assertIn("exploded", errors[4])
        self.assertIn("could not be read", errors[8])
        self.assertFalse(Team.objects.filter(name="Blue").exists())  # nothing half-written
        self.assertFalse(job.file)  # the uploaded file is not kept once imported

    def test_it_updates_when_asked_row_by_row(self):
        job = make_job(self.admin, self.ROWS, duplicate_choice="update", overrides={"7": "skip"})
        job = run_job(job)
        self.assertEqual((job.created_count, job.updated_count, job.skipped_count), (2, 1, 1))
        self.assertEqual(Team.objects.get(name="Alpha").description, "matches an existing team")
        self.assertEqual(Team.objects.get(name="Red").description, "first")

    def test_it_fails_the_job_clearly_when_the_file_is_gone(self):
        job = make_job(self.admin, self.ROWS)
        job.file.storage.delete(job.file.name)
        job = run_job(job)
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertTrue(job.error)

    def test_it_checks_the_owners_rights_when_it_runs(self):
        job = run_job(make_job(self.owner, self.ROWS))  # "teams" is an administration module
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertEqual(Team.objects.count(), 2)

    def test_it_resumes_after_the_last_committed_chunk(self):
        job = make_job(self.admin, [["Name", "Description"]] + [[f"T{i}", ""] for i in range(7)])
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=3, created_count=3, status=ImportJob.Status.RUNNING
        )
        job = run_job(job)
        self.assertEqual((job.rows_done, job.created_count), (7, 7))
        self.assertEqual(sorted(Team.objects.filter(name__startswith="T").values_list("name", flat=True)),
                         ["T3", "T4", "T5", "T6"])  # fmt: skip

    def test_it_guesses_columns_by_their_names_in_three_languages(self):
        importer = TeamImporter(self.admin)
        self.assertEqual(
            importer.guess_mapping(["ชื่อทีม", "x", "รายละเอียด"]), {"name": 0, "description": 2}
        )
        self.assertEqual(importer.guess_mapping(["نام تیم"]), {"name": 0})
        self.assertEqual(
            importer.guess_mapping(["NAME ", "Description"]), {"name": 0, "description": 1}
        )

    @override_settings(IMPORT_PARALLEL=True, IMPORT_PARALLEL_MIN_ROWS=1)
    def test_it_reads_in_a_second_process_for_large_files(self):
        from mitra.core.imports import runner

        rows = [["Name", "Description"]] + [
            [f"P{i}", "" if i != 5 else "explode"] for i in range(12)
        ]
        # This process parses the first chunk (3 rows), the reader the rest; "p4" repeats
        # the row above it in the reader's first chunk, "P0" a row of this process's chunk.
        rows[6:6] = [["p4", "again"]]
        rows.append(["P0", "again"])
        job = make_job(self.admin, rows)
        self.assertTrue(runner.use_parallel(job))
        job = run_job(job)
        self.assertEqual(job.status, ImportJob.Status.DONE, job.error)
        self.assertEqual(
            (job.rows_total, job.created_count, job.skipped_count, job.failed_count),
            (14, 11, 2, 1),
        )
        error = job.row_errors.get()
        self.assertEqual((error.row_number, error.values), (8, ["P5", "explode"]))
        self.assertEqual(Team.objects.filter(name__iexact="p4").count(), 1)


class CheckpointTests(TransactionTestCase):
    """Outside a test transaction, as the worker runs: the WAL is checkpointed between
    chunks on SQLite, so it is written over rather than grown (see runner._bulk_session)."""

    @override_settings(IMPORT_SQLITE_CHECKPOINT_ROWS=3)
    def test_it_checkpoints_the_wal_every_few_chunks(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        admin = User.objects.create_superuser("admin", "admin@example.com", "x-Password-1")
        job = make_job(admin, [["Name", "Description"]] + [[f"C{i}", ""] for i in range(7)])
        with CaptureQueriesContext(connection) as ctx:
            job = run_job(job)
        self.assertEqual((job.status, job.created_count), (ImportJob.Status.DONE, 7))
        checkpoints = [q["sql"] for q in ctx.captured_queries if "wal_checkpoint" in q["sql"]]
        # After rows 3 and 6 (chunks of 3), and once at the end; other engines have none.
        self.assertEqual(len(checkpoints), 3 if connection.vendor == "sqlite" else 0)
        self.assertEqual(Team.objects.filter(name__startswith="C").count(), 7)


class BulkInsertTests(BaseTestCase):
    def test_it_inserts_rows_and_returns_their_keys_in_order(self):
        inserter = BulkInserter(Team, key_field="name")
        pks = inserter.insert([{"name": f"Bulk {i}", "description": "ทดสอบ"} for i in range(30)])
        teams = Team.objects.in_bulk(pks)
        self.assertEqual([teams[pk].name for pk in pks], [f"Bulk {i}" for i in range(30)])
        team = teams[pks[0]]
        self.assertEqual(team.description, "ทดสอบ")
        self.assertIsNotNone(team.created_at)
        self.assertEqual(len({t.public_id for t in teams.values()}), 30)  # each its own uuid

    def test_it_splits_large_inserts_and_keeps_keys_and_constants_right(self):
        # More rows than one statement takes (5,000), with and without a key.
        rows = [{"name": f"Many {i:05d}"} for i in range(6000)]
        pks = BulkInserter(Team, key_field="name").insert(rows, constants={"description": "x"})
        names = dict(Team.objects.filter(pk__in=pks).values_list("pk", "name"))
        self.assertEqual([names[pk] for pk in pks], [r["name"] for r in rows])
        self.assertEqual(Team.objects.filter(description="x").count(), 6000)
        more = [{"name": f"More {i:05d}"} for i in range(5500)]
        pks = BulkInserter(Team).insert(more)
        names = dict(Team.objects.filter(pk__in=pks).values_list("pk", "name"))
        self.assertEqual([names[pk] for pk in pks], [r["name"] for r in more])

    def test_it_gives_bulk_rows_time_ordered_unguessable_ids(self):
        from mitra.core.imports.bulk import uuid7s

        ids = uuid7s(1000)
        self.assertEqual(len(set(ids)), 1000)
        self.assertEqual({u.version for u in ids}, {7})
        self.assertEqual(len({u.hex[:12] for u in ids}), 1)  # one timestamp prefix per batch
        self.assertGreater(len({u.hex[13:] for u in ids}), 990)  # the rest is random

    def test_it_copies_creation_history(self):
        pks = BulkInserter(Team).insert([{"name": "History A"}, {"name": "History B"}])
        copy_history(Team, pks, user=self.admin, reason="Imported from teams.csv")
        record = Team.objects.get(name="History A").history.get()
        self.assertEqual((record.history_type, record.history_user, record.history_change_reason),
                         ("+", self.admin, "Imported from teams.csv"))  # fmt: skip
        self.assertEqual(record.name, "History A")

    def test_it_passes_database_errors_on(self):
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            BulkInserter(Team).insert([{"name": "Alpha"}])  # the name is unique

    def test_it_filters_on_many_values_in_one_parameter(self):
        names = ["Alpha", "Beta"] + [f"none {i}" for i in range(100)]
        self.assertEqual(set(Team.objects.filter(name__in=in_values(names)).values_list("name", flat=True)),
                         {"Alpha", "Beta"})  # fmt: skip
