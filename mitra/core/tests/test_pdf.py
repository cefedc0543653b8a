import datetime as dt
import re
import shutil
import subprocess
import tempfile

from django.test import SimpleTestCase
from django.utils import translation

from mitra.core import calendars
from mitra.core.pdf import render_pdf


class PdfFontsTest(SimpleTestCase):
    def test_it_embeds_sarabun_and_vazirmatn(self):
        with translation.override("fa"), calendars.override("jalali", "native", "fa"):
            pdf = render_pdf("core/pdf_sample.html", {"today": dt.date(2025, 3, 21)})
        self.assertTrue(pdf.startswith(b"%PDF"))
        names = self.font_names(pdf)
        self.assertTrue(any(n.startswith("Sarabun") for n in names), names)
        self.assertTrue(any(n.startswith("Vazirmatn") for n in names), names)

    def font_names(self, pdf):
        if not shutil.which("pdffonts"):
            self.skipTest("pdffonts (poppler-utils) is not installed; .ci/run installs it")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            out = subprocess.run(["pdffonts", f.name], capture_output=True, text=True).stdout
        return set(re.findall(r"(?:[A-Z]{6}\+)?([A-Za-z]+)-", out))

    def test_the_text_survives_in_the_pdf(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed; .ci/run installs it")
        pdf = render_pdf("core/pdf_sample.html", {"today": dt.date(2025, 3, 21)})
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout
        self.assertIn("มิตร", text)
        self.assertIn("دوست", text)
