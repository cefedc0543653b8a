"""Every list is a `core.tables.Table` rendered by `core/_table.html` (issue 11): a template
that writes a `<table>` of its own must say why it is not a list, so a new hand-written
list shows up here instead of in review."""

from pathlib import Path

from django.test import SimpleTestCase

MITRA = Path(__file__).resolve().parents[2]
THE_TABLE = MITRA / "templates" / "core" / "_table.html"


class NoHandWrittenListTests(SimpleTestCase):
    def test_every_other_table_says_why_it_is_not_a_list(self):
        unexplained = []
        for path in sorted(MITRA.rglob("*.html")):
            if path == THE_TABLE or "static" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if "<table" in text and "{# not a list:" not in text:
                unexplained.append(str(path.relative_to(MITRA)))
        self.assertEqual(unexplained, [], "a list is a core.tables.Table (core/_table.html)")
