"""/api/docs/ is served from our own static files, with no inline script."""

import re

from django.contrib.staticfiles import finders
from django.test import TestCase


class ApiDocsPageTests(TestCase):
    def test_the_page_loads_only_our_own_files_and_no_inline_script(self):
        r = self.client.get("/api/docs/")
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertNotIn("cdn", html.lower())
        self.assertNotIn("<style", html)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        self.assertEqual(len(scripts), 3)
        for attrs, body in scripts:
            self.assertIn('src="/', attrs)
            self.assertEqual(body.strip(), "")
        for url in re.findall(r'(?:src|href)="(/static/[^"?]+)"', html):
            self.assertTrue(finders.find(url.removeprefix("/static/")), url)

    def test_its_start_up_script_is_a_script_of_its_own(self):
        r = self.client.get("/api/docs/?script=")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/javascript"))
        self.assertIn("SwaggerUIBundle(", r.content.decode())
        self.assertIn("/api/schema/", r.content.decode())
