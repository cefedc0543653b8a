"""The number series screen: configurators edit a pattern with a preview; nobody else."""

import datetime as dt

from django.db import transaction
from django.urls import reverse

from mitra.core import calendars, numbering
from mitra.core.numbering import NumberSeries, next_number
from mitra.core.testing import BaseTestCase


class NumberingScreenTest(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._saved = dict(numbering.registry)
        numbering.register("screen-quote", "Quotation", "QT-{year}-{seq:05}")
        numbering.register("screen-inv", "Invoice", "{year}/{seq}", calendar=calendars.JALALI)

    @classmethod
    def tearDownClass(cls):
        numbering.registry.clear()
        numbering.registry.update(cls._saved)
        super().tearDownClass()

    def edit_url(self, key="screen-quote"):
        return reverse("numbering:edit", args=[key])

    def test_the_list_shows_each_series_with_its_next_number(self):
        with transaction.atomic():
            next_number("screen-quote")
        self.login(self.admin)
        response = self.client.get(reverse("numbering:list"))
        year = dt.date.today().year
        self.assertContains(response, f"QT-{year}-00002")
        self.assertContains(response, "Invoice")
        self.assertContains(response, self.edit_url("screen-inv"))
        counts = {"admin": 4, "owner": None, "teammate": None, "readonly": None}
        self.assertListQueries(reverse("numbering:list"), counts)

    def test_a_configurator_edits_a_pattern_after_a_preview(self):
        self.login(self.admin)
        data = {"pattern": "Q{yy}-{seq:03}", "calendar": calendars.BUDDHIST}
        data.update(self.version_of(self.edit_url()))
        response = self.client.post(self.edit_url(), {**data, "preview": "1"})
        yy = (dt.date.today().year + 543) % 100
        self.assertContains(response, f"Q{yy:02d}-001")
        self.assertEqual(NumberSeries.objects.get(key="screen-quote").pattern, "QT-{year}-{seq:05}")
        response = self.client.post(self.edit_url(), data)
        self.assertRedirects(response, reverse("numbering:list"))
        saved = NumberSeries.objects.get(key="screen-quote")
        self.assertEqual((saved.pattern, saved.calendar), ("Q{yy}-{seq:03}", calendars.BUDDHIST))
        self.assertEqual(saved.history.first().history_user, self.admin)

    def test_a_bad_pattern_is_explained_and_changes_nothing(self):
        self.login(self.admin)
        version = self.version_of(self.edit_url())
        for pattern, message in (
            ("QT-{year}", "needs a {seq} placeholder"),
            ("QT-{month}-{seq}", "Unknown placeholder {month}"),
            ("QT-{seq:zz}", "The pattern is not valid"),
        ):
            with self.subTest(pattern):
                data = {"pattern": pattern, "calendar": calendars.GREGORIAN, **version}
                response = self.client.post(self.edit_url(), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                stored = NumberSeries.objects.get(key="screen-quote")
                self.assertEqual(stored.pattern, "QT-{year}-{seq:05}")
                self.assertContains(response, "QT-{year}-{seq:05}")  # the pattern in use

    def test_only_the_configuration_right_opens_it(self):
        for user in (self.owner, self.teammate, self.readonly):
            self.login(user)
            self.assertEqual(self.client.get(reverse("numbering:list")).status_code, 403)
            self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
            data = {"pattern": "X{seq}", "calendar": calendars.GREGORIAN}
            self.assertEqual(self.client.post(self.edit_url(), data).status_code, 403)
        self.assertFalse(NumberSeries.objects.filter(pattern="X{seq}").exists())
        self.login(self.admin)
        self.assertEqual(self.client.get(self.edit_url("nothing-such")).status_code, 404)

    def version_of(self, url):
        form = self.client.get(url).context["form"]
        return {name: form[name].value() for name in form.fields if name not in form._meta.fields}
