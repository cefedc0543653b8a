"""No row lost on the way in: stale XLSX dimensions, NUL bytes, phones read in their country.

Each case goes end to end: upload, columns, preview, the import job, then what was stored.
"""

import io
import re
import zipfile
from unittest import mock

from django.urls import reverse

from mitra.core.imports.models import ImportJob
from mitra.core.testing import BaseTestCase
from mitra.parties.callerid import lookup
from mitra.parties.models import ContactPoint, Party

from .factories import make_party
from .io_helpers import ImportSteps, csv_bytes, xlsx_bytes
from .test_edit import edit_data

API = "/api/v1"


def rewrite_sheet(content, change):
    """`content` (an XLSX) with `change(xml bytes)` applied to its first sheet's XML."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(name, data)
    return out.getvalue()


def stale_dimension(content, ref=b"A1:B2"):
    return rewrite_sheet(
        content,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', xml),
    )


THOUSAND = [["Name", "Mobile"]] + [[f"Customer {i:04d}", f"08{i:08d}"] for i in range(1000)]
FIFTY = THOUSAND[:51]


class StaleDimensionTests(ImportSteps, BaseTestCase):
    def test_it_imports_every_row_of_a_sheet_whose_dimension_tag_is_stale(self):
        content = stale_dimension(xlsx_bytes(THOUSAND))
        self.assertIn(
            b'<dimension ref="A1:B2"',
            zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml"),
        )
        job = self.import_file(self.owner, content, name="customers.xlsx")
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(
            (job.rows_total, job.rows_done, job.created_count, job.failed_count, job.error),
            (1000, 1000, 1000, 0, ""),
        )
        self.assertEqual(Party.objects.count(), 1000)
        last = Party.objects.get(name="Customer 0999")
        self.assertEqual(last.contact_points.get().e164, "+66800000999")
        page = self.client.get(reverse("parties:import_job", args=[job.public_id]))
        self.assertNotContains(page, "alert-warning")

    def test_a_job_that_reads_fewer_rows_than_the_file_holds_says_so(self):
        # The reader as it was (trusting the dimension tag): the independent count of the
        # file's rows disagrees with the rows read, and the job must not end quietly.
        content = stale_dimension(xlsx_bytes(FIFTY))
        with mock.patch(
            "openpyxl.worksheet._read_only.ReadOnlyWorksheet.reset_dimensions", lambda ws: None
        ):
            job = self.import_file(self.owner, content, name="customers.xlsx")
        self.assertEqual((job.rows_total, job.rows_done, job.created_count), (50, 1, 1))
        self.assertIn("50", job.error)
        page = self.client.get(reverse("parties:import_job", args=[job.public_id]))
        self.assertContains(page, "alert-warning")
        self.assertContains(page, "Finished, with a warning")


class NulByteTests(ImportSteps, BaseTestCase):
    def check(self, job):
        self.assertEqual(
            (job.created_count, job.failed_count, job.error),
            (2, 0, ""),
            list(job.row_errors.values_list("message", flat=True)),
        )
        acme = Party.objects.get(code="C1")
        self.assertEqual(acme.name, "Acme Trading")
        self.assertEqual(acme.comments, "before after")
        self.assertEqual(acme.contact_points.get().e164, "+66812345678")
        self.assertEqual(Party.objects.get(code="C2").name, "Second row")

    def test_a_nul_in_a_csv_cell_cuts_neither_the_cell_nor_the_row(self):
        rows = [["Code", "Name", "Mobile", "Comments"],
                ["C1", "Acme\0 Trading", "081\x00234 5678", "before\0 after"],
                ["C2", "Second row", "", ""]]  # fmt: skip
        self.check(self.import_file(self.owner, csv_bytes(rows)))

    def test_a_nul_in_an_xlsx_cell_cuts_neither_the_cell_nor_the_row(self):
        rows = [["Code", "Name", "Mobile", "Comments"],
                ["C1", "AcmeNUL Trading", "081NUL234 5678", "beforeNUL after"],
                ["C2", "Second row", None, None]]  # fmt: skip
        for nul in (b"\0", b"_x0000_"):  # a raw byte (not XML at all), Excel's escape
            with self.subTest(nul):
                Party.objects.all().delete()
                content = rewrite_sheet(xlsx_bytes(rows), lambda xml, n=nul: xml.replace(b"NUL", n))
                self.check(self.import_file(self.owner, content, name="nul.xlsx"))


class PhoneCountryTests(ImportSteps, BaseTestCase):
    def test_phones_are_read_in_the_rows_country(self):
        rows = [["Name", "Mobile", "Country"],
                ["Reza Ahmadi", "09917077201", "IR"],
                ["Maryam Karimi", "۰۹۱۲ ۷۶۵ ۴۳۲۱", "ایران"],
                ["Somchai Jaidee", "081-234-5678", "TH"],
                ["No Country", "0899999999", ""]]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual(
            (job.created_count, job.failed_count),
            (4, 0),
            list(job.row_errors.values_list("message", flat=True)),
        )

        def point(name):
            return Party.objects.get(name=name).contact_points.get()

        self.assertEqual(point("Reza Ahmadi").e164, "+989917077201")
        maryam = point("Maryam Karimi")
        self.assertEqual((maryam.e164, maryam.value), ("+989127654321", "0912 765 4321"))
        self.assertEqual(point("Somchai Jaidee").e164, "+66812345678")
        self.assertEqual(point("No Country").e164, "+66899999999")  # the company's country
        # Caller ID gets the Iranian number in international form, and finds it.
        for number in ("+989917077201", "+98 991 707 7201", "00989917077201"):
            self.assertEqual([m["name"] for m in lookup(self.owner, number)], ["Reza Ahmadi"])

    def test_a_repeated_row_matches_by_the_phone_in_its_country(self):
        make_party(self.owner, "Reza Ahmadi", phone="+98 991 707 7201")
        rows = [["Name", "Mobile", "Country"], ["R. Ahmadi", "09917077201", "Iran"]]
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual((job.created_count, job.skipped_count), (0, 1))


class TypedDigitsTests(BaseTestCase):
    """Phones typed in Persian or Arabic-Indic digits are stored with Latin digits."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", phone="02 123 4567")

    def test_the_party_form_stores_persian_digits_as_latin(self):
        self.login(self.owner)
        url = reverse("parties:edit", args=[self.party.public_id])
        r = self.client.post(url, edit_data(self.party, **{"cp-0-entry": "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"}))
        self.assertEqual(r.status_code, 302)
        cp = self.party.contact_points.get()
        self.assertEqual(
            (cp.number, cp.value, cp.e164), ("+98 912 345 6789",) * 2 + ("+989123456789",)
        )
        page = self.client.get(reverse("parties:detail", args=[self.party.public_id]))
        self.assertContains(page, "+98 912 345 6789")

    def test_the_api_stores_arabic_indic_digits_as_latin(self):
        self.login(self.owner)
        r = self.client.post(
            f"{API}/contact-points/",
            {"party": str(self.party.public_id), "kind": "mobile", "number": "٠٨١ ٢٣٤ ٥٦٧٨",
             "extension": "١٢"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual((r.json()["value"], r.json()["e164"]), ("081 234 5678", "+66812345678"))
        cp = ContactPoint.objects.get(e164="+66812345678")
        self.assertEqual((cp.number, cp.extension), ("081 234 5678", "12"))

    def test_a_phone_stored_before_shows_with_latin_digits(self):
        cp = self.party.contact_points.get()
        ContactPoint.objects.filter(pk=cp.pk).update(value="۰۲ ۱۲۳ ۴۵۶۷")
        cp.refresh_from_db()
        self.assertEqual(cp.display, "02 123 4567")


class ImportDateTests(ImportSteps, BaseTestCase):
    def test_dates_typed_in_the_users_calendar_never_land_in_the_wrong_century(self):
        self.owner.calendar = "buddhist"
        self.owner.save()
        rows = [["Name", "Birth date"],
                ["Typed BE, ISO order", "2530-05-17"],
                ["Typed BE, day first", "17/05/2530"],
                ["Gregorian ISO", "1987-05-17"],
                ["Slipped", "1444-05-17"],
                ["No such day", "30/02/2530"]]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual((job.created_count, job.failed_count), (3, 2))
        for name in ("Typed BE, ISO order", "Typed BE, day first", "Gregorian ISO"):
            self.assertEqual(str(Party.objects.get(name=name).birth_date), "1987-05-17")
        errors = dict(job.row_errors.values_list("row_number", "message"))
        self.assertIn("1444 is a Persian (Jalali) year", errors[5])
        self.assertIn("there is no day 30", errors[6])
        self.assertFalse(Party.objects.filter(name__in=["Slipped", "No such day"]).exists())
