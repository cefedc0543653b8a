"""Files as people have them: Thai and Persian text in any encoding, Excel workbooks."""

import datetime as dt

from mitra.core.testing import BaseTestCase
from mitra.core.text import compact, normalize
from mitra.parties.models import ContactPoint, Kind, Party, RoleKind

from .factories import make_party
from .io_helpers import ImportSteps, csv_bytes, xlsx_bytes

THAI = [
    ["ชื่อ", "นามสกุล", "เบอร์มือถือ", "อีเมล", "จังหวัด", "บทบาท"],
    ["สมชาย", "ใจดี", "๐๘๑-๒๓๔-๕๖๗๘", "somchai@example.co.th", "เชียงใหม่", "ลูกค้า"],
    ["วรรณา", "เก่งมาก", "0899999999", "", "กรุงเทพมหานคร", ""],
]
PERSIAN = [
    ["نام", "تلفن همراه", "ایمیل", "شهر", "نوع"],
    ["شرکت پارس گستر", "+98 912 123 4567", "info@pars.example", "تهران", "Organisation"],
    ["مریم کریمی", "+۹۸ ۹۱۲ ۷۶۵ ۴۳۲۱", "", "اصفهان", ""],
]


class ImportFormatTests(ImportSteps, BaseTestCase):
    def check_thai(self, job):
        self.assertEqual(
            (job.created_count, job.failed_count),
            (2, 0),
            list(job.row_errors.values_list("message", flat=True)),
        )
        somchai = Party.objects.get(first_name="สมชาย")
        self.assertEqual((somchai.name, somchai.kind), ("สมชาย ใจดี", Kind.PERSON))
        for party in Party.objects.all():  # the keys a save would have computed
            self.assertEqual(
                (party.search_name, party.name_key), (normalize(party.name), compact(party.name))
            )
        self.assertEqual(
            somchai.contact_points.get(kind=ContactPoint.Kind.MOBILE).e164, "+66812345678"
        )
        self.assertEqual(somchai.addresses.get().province, "เชียงใหม่")
        self.assertEqual(somchai.role_values(), [RoleKind.CUSTOMER])

    def check_persian(self, job):
        self.assertEqual(
            (job.created_count, job.failed_count),
            (2, 0),
            list(job.row_errors.values_list("message", flat=True)),
        )
        self.assertEqual(job.mapping, {"name": 0, "mobile": 1, "email": 2, "city": 3, "kind": 4})
        pars = Party.objects.get(name_key="شرکتپارسگستر")
        for party in Party.objects.all():
            self.assertEqual(
                (party.search_name, party.name_key), (normalize(party.name), compact(party.name))
            )
        self.assertEqual(pars.kind, Kind.ORGANISATION)
        self.assertEqual(pars.addresses.get().city, "تهران")
        maryam = Party.objects.get(name_key="مریمکریمی")
        self.assertEqual(maryam.contact_points.get().e164, "+989127654321")

    def test_it_reads_thai_in_utf8_with_and_without_bom(self):
        for encoding in ("utf-8", "utf-8-sig"):
            with self.subTest(encoding):
                Party.objects.all().delete()
                job = self.import_file(self.owner, csv_bytes(THAI, encoding))
                self.assertEqual(
                    job.mapping,
                    {
                        "first_name": 0,
                        "last_name": 1,
                        "mobile": 2,
                        "email": 3,
                        "province": 4,
                        "roles": 5,
                    },
                )
                self.check_thai(job)

    def test_it_reads_thai_in_tis620_and_utf16(self):
        for encoding in ("cp874", "utf-16"):
            with self.subTest(encoding):
                Party.objects.all().delete()
                job = self.import_file(
                    self.owner,
                    csv_bytes(THAI, encoding, delimiter="\t" if encoding == "utf-16" else ","),
                )
                self.assertIn(job.encoding, ("cp874", "utf-16"))
                self.check_thai(job)

    def test_it_reads_persian_in_utf8_utf16_and_windows_1256(self):
        for encoding in ("utf-8", "utf-16", "cp1256"):
            with self.subTest(encoding):
                Party.objects.all().delete()
                rows = PERSIAN
                if encoding == "cp1256":
                    # Windows-1256 has neither Persian digits nor the Persian yeh: Excel
                    # writes Latin digits and the Arabic yeh (ي), which matching folds.
                    rows = [[c.replace("ی", "ي").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) for c in r]
                            for r in PERSIAN]  # fmt: skip
                job = self.import_file(self.owner, csv_bytes(rows, encoding, delimiter=";"))
                self.assertEqual(job.delimiter, ";")
                self.check_persian(job)

    def test_it_lets_the_user_choose_the_encoding(self):
        job = self.import_file(self.owner, csv_bytes(THAI, "cp874"), encoding="cp874")
        self.assertEqual(job.encoding, "cp874")
        self.check_thai(job)

    def test_it_reads_excel_workbooks(self):
        rows = [["Name", "Mobile", "Birth date", "Credit limit", "Active"],
                ["Somchai Jaidee", "0812345678", dt.date(1980, 5, 17), 150000.5, "yes"],
                ["علی رضایی", 66898765432, None, None, "no"]]  # fmt: skip
        job = self.import_file(self.owner, xlsx_bytes(rows), name="parties.xlsx")
        self.assertEqual(job.file_format, "xlsx")
        self.assertEqual(
            (job.created_count, job.failed_count),
            (2, 0),
            list(job.row_errors.values_list("message", flat=True)),
        )
        somchai = Party.objects.get(name="Somchai Jaidee")
        self.assertEqual(somchai.birth_date, dt.date(1980, 5, 17))
        self.assertEqual(str(somchai.credit_limit), "150000.50")
        ali = Party.objects.get(name="علی رضایی")
        self.assertFalse(ali.is_active)
        self.assertEqual(ali.contact_points.get().e164, "+66898765432")

    def test_it_reads_the_sheet_the_user_picks(self):
        self.login(self.owner)
        content = xlsx_bytes([["Notes"], ["nothing here"]], title="Cover",
                             extra_sheets=[("Customers", [["Name", "Email"], ["Picked", "p@example.com"]])])  # fmt: skip
        self.upload(content, name="book.xlsx")
        job = self.latest_job(self.owner)
        self.assertEqual(job.sheet, "Cover")
        response = self.columns(job, sheet="Customers")
        self.assertEqual(response.status_code, 302)
        job.refresh_from_db()
        self.assertEqual(
            (job.sheet, job.headers, job.mapping),
            ("Customers", ["Name", "Email"], {"name": 0, "email": 1}),
        )
        self.columns(job)
        self.start_import(job)
        self.assertEqual(Party.objects.get().name, "Picked")

    def test_it_finds_a_persian_party_written_with_arabic_letters(self):
        existing = make_party(self.owner, "علی کریمی")
        # Arabic yeh and kaf: the same name to a person, another string to a computer.
        job = self.import_file(self.owner, csv_bytes([["Name"], ["علي كريمي"]]))
        self.assertEqual((job.created_count, job.skipped_count), (0, 1))
        self.assertEqual(Party.objects.get(), existing)

    def test_it_reads_files_without_a_header_row(self):
        self.login(self.owner)
        self.upload(csv_bytes([["No Header Co", "02 111 2222"]]), has_header=False)
        job = self.latest_job(self.owner)
        self.assertEqual(job.mapping, {})
        self.columns(job, col_0="name", col_1="phone")
        self.start_import(job)
        self.assertEqual(Party.objects.get().contact_points.get().e164, "+6621112222")
