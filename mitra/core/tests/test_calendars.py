import datetime as dt

from django import forms
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mitra.core import calendars
from mitra.core.forms import CalendarDateField

NOWRUZ_1404 = dt.date(2025, 3, 21)


class CalendarRenderingTest(SimpleTestCase):
    def test_it_shows_nowruz_1404_in_jalali(self):
        self.assertEqual(calendars.format_date(NOWRUZ_1404, calendar="jalali"), "1404-01-01")

    def test_it_shows_buddhist_era_year(self):
        self.assertEqual(calendars.format_date(NOWRUZ_1404, calendar="buddhist"), "2568-03-21")

    def test_it_uses_persian_digits(self):
        with calendars.override("jalali", "native", "fa"):
            self.assertEqual(calendars.format_date(NOWRUZ_1404), "۱۴۰۴-۰۱-۰۱")

    def test_it_uses_thai_digits(self):
        with calendars.override("buddhist", "native", "th"):
            self.assertEqual(calendars.format_date(NOWRUZ_1404), "๒๕๖๘-๐๓-๒๑")

    def test_it_keeps_latin_digits_when_asked(self):
        with calendars.override("jalali", "latin", "fa"):
            self.assertEqual(calendars.format_date(NOWRUZ_1404), "1404-01-01")

    def test_it_names_the_jalali_month(self):
        self.assertEqual(
            calendars.format_date(NOWRUZ_1404, "long", calendar="jalali"), "1 Farvardin 1404"
        )

    def test_esfand_1403_has_30_days_and_1404_has_29(self):
        self.assertEqual(calendars.days_in_month(1403, 12, "jalali"), 30)
        self.assertEqual(calendars.days_in_month(1404, 12, "jalali"), 29)

    def test_jalali_month_grid_starts_on_the_right_weekday(self):
        weeks = calendars.month_grid(1404, 1, "jalali")  # weeks start on Saturday
        first_week = weeks[0]
        # 1 Farvardin 1404 was a Friday: the last cell of the first Saturday-first week.
        self.assertEqual(first_week[6], NOWRUZ_1404)
        self.assertEqual(sum(1 for w in weeks for d in w if d), 31)


class CalendarParsingTest(SimpleTestCase):
    def test_it_reads_jalali_in_persian_digits(self):
        self.assertEqual(calendars.parse_date("۱۴۰۴/۰۱/۰۱", "jalali"), NOWRUZ_1404)

    def test_it_reads_buddhist_era_in_thai_digits_day_first(self):
        self.assertEqual(calendars.parse_date("๒๑/๐๓/๒๕๖๘", "buddhist"), NOWRUZ_1404)

    def test_it_rejects_nonsense(self):
        for bad in ("hello", "1404-13-01", "1404-12-30", "12/12"):
            with self.assertRaises(ValueError, msg=bad):
                calendars.parse_date(bad, "jalali")

    @given(
        # Within the years a typed date may have (see test_calendar_input for the rest).
        st.dates(min_value=dt.date(1880, 1, 1), max_value=dt.date(2170, 12, 31)),
        st.sampled_from(calendars.CALENDARS),
    )
    def test_it_round_trips_every_date(self, date, calendar):
        with calendars.override(calendar, "native", "fa"):
            self.assertEqual(calendars.parse_date(calendars.format_date(date)), date)


class DateFieldForm(forms.Form):
    when = CalendarDateField()


class CalendarDateFieldTest(SimpleTestCase):
    def test_it_stores_gregorian(self):
        with calendars.override("jalali", "native", "fa"):
            form = DateFieldForm({"when": "۱۴۰۴-۰۱-۰۱"})
            self.assertTrue(form.is_valid(), form.errors)
            self.assertEqual(form.cleaned_data["when"], NOWRUZ_1404)

    def test_it_explains_a_bad_date(self):
        with calendars.override("buddhist", "latin", "th"):
            form = DateFieldForm({"when": "31/02/2568"})
            self.assertFalse(form.is_valid())
            self.assertIn("February 2568 has 28 days", form.errors["when"][0])
            form = DateFieldForm({"when": "soon"})
            self.assertFalse(form.is_valid())
            self.assertIn("2568-12-31", form.errors["when"][0])

    def test_it_shows_the_stored_date_in_the_user_calendar(self):
        with calendars.override("jalali", "native", "fa"):
            html = str(DateFieldForm(initial={"when": NOWRUZ_1404})["when"])
            self.assertIn('value="۱۴۰۴-۰۱-۰۱"', html)
            self.assertIn('data-calendar="jalali"', html)
