"""Typed dates cannot land in the wrong century, in any calendar and any digits.

Property-based: every plausible date of each calendar, written in each digit system and
order, reads back as itself; every year outside the window of its calendar is refused
(never stored), with both readings when it is a year of another calendar; every day or
month that does not exist is refused with a message naming it.
"""

import datetime as dt

from django import forms
from django.test import SimpleTestCase
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from mitra.core import calendars
from mitra.core.forms import CalendarDateField

C = calendars
SCRIPTS = {C.GREGORIAN: "en", C.BUDDHIST: "th", C.JALALI: "fa"}
# (digits, script): Latin, and each script's native digits in every calendar.
DIGITS = [(C.LATIN, "en"), (C.NATIVE, "th"), (C.NATIVE, "fa")]
SEPARATORS = ["-", "/", "."]


class Form(forms.Form):
    day = CalendarDateField()


@st.composite
def calendar_dates(draw, calendar, inside=True):
    """(year, month, day) of `calendar`: a real day, its year inside (or outside) the window."""
    first, last = C.year_window(calendar)
    if inside:
        year = draw(st.integers(first, last))
    else:
        year = draw(st.integers(1, first - 1) | st.integers(last + 1, 9999))
    month = draw(st.integers(1, 12))
    days = 28 if not inside else C.days_in_month(year, month, calendar)
    return year, month, draw(st.integers(1, days))


def written(year, month, day, order, sep, digits, script):
    text = (
        f"{year:04d}{sep}{month:02d}{sep}{day:02d}"
        if order == "ymd"
        else f"{day}{sep}{month}{sep}{year:04d}"
    )
    return C.localize_digits(text, digits, script)


class RoundTripTests(SimpleTestCase):
    @settings(max_examples=150, deadline=None)
    @given(
        calendar=st.sampled_from(C.CALENDARS),
        data=st.data(),
        digits=st.sampled_from(DIGITS),
        order=st.sampled_from(["ymd", "dmy"]),
        sep=st.sampled_from(SEPARATORS),
    )
    def test_every_plausible_date_reads_back_as_itself(self, calendar, data, digits, order, sep):
        year, month, day = data.draw(calendar_dates(calendar))
        gregorian = C.from_calendar(year, month, day, calendar)
        text = written(year, month, day, order, sep, *digits)
        with C.override(calendar, *digits):
            self.assertEqual(C.parse_date(text), gregorian, text)
            shown = C.format_date(gregorian)  # what the form shows, in the user's digits
            self.assertEqual(C.parse_date(shown), gregorian, shown)
            form = Form({"day": text})
            self.assertTrue(form.is_valid(), (text, form.errors))
            self.assertEqual(form.cleaned_data["day"], gregorian)

    @settings(max_examples=150, deadline=None)
    @given(
        calendar=st.sampled_from(C.CALENDARS),
        data=st.data(),
        digits=st.sampled_from(DIGITS),
        order=st.sampled_from(["ymd", "dmy"]),
    )
    def test_every_year_outside_the_window_is_refused(self, calendar, data, digits, order):
        year, month, day = data.draw(calendar_dates(calendar, inside=False))
        text = written(year, month, day, order, "-", *digits)
        with C.override(calendar, *digits):
            with self.assertRaises(C.DateInputError, msg=text) as caught:
                C.parse_date(text)
            self.assertEqual(caught.exception.code, "implausible")
            # The message shows the year as typed, in the user's digits.
            self.assertIn(C.localize_digits(str(year)), caught.exception.message)
            form = Form({"day": text})
            self.assertFalse(form.is_valid(), text)
            self.assertEqual(form.errors.as_data()["day"][0].code, "implausible")

    @settings(max_examples=100, deadline=None)
    @given(calendar=st.sampled_from(C.CALENDARS), data=st.data(), digits=st.sampled_from(DIGITS))
    def test_a_year_of_another_calendar_gets_both_readings(self, calendar, data, digits):
        other = data.draw(st.sampled_from([c for c in C.CALENDARS if c != calendar]))
        year, month, day = data.draw(calendar_dates(other))
        meant = C.from_calendar(year, month, day, other)
        text = written(year, month, day, "ymd", "-", *digits)
        with C.override(calendar, *digits):
            with self.assertRaises(C.DateInputError) as caught:
                C.parse_date(text)
            message = caught.exception.message
            self.assertIn(C.localize_digits(str(year)), message)
            self.assertIn(str(C.CALENDAR_YEAR_KIND[other]), message)
            # The same day in the user's calendar is offered.
            self.assertIn(C.format_date(meant, "long"), message)

    @settings(max_examples=100, deadline=None)
    @given(
        calendar=st.sampled_from(C.CALENDARS),
        data=st.data(),
        digits=st.sampled_from(DIGITS),
    )
    def test_days_and_months_that_do_not_exist_are_refused(self, calendar, data, digits):
        year, month, _day = data.draw(calendar_dates(calendar))
        if data.draw(st.booleans()):
            month = data.draw(st.integers(13, 99) | st.just(0))
            day = 1
        else:
            day = data.draw(
                st.integers(C.days_in_month(year, month, calendar) + 1, 99) | st.just(0)
            )
        text = written(year, month, day, "ymd", "-", *digits)
        with C.override(calendar, *digits):
            with self.assertRaises(C.DateInputError, msg=text) as caught:
                C.parse_date(text)
            self.assertEqual(caught.exception.code, "impossible")
            self.assertFalse(Form({"day": text}).is_valid())


class MessageTests(SimpleTestCase):
    """The three confusions the issue names, word for word."""

    def today_in(self, calendar):
        return C.to_calendar(timezone.localdate(), calendar)[0]

    def error(self, calendar, text, digits=C.LATIN):
        with C.override(calendar, digits, SCRIPTS[calendar]):
            form = Form({"day": text})
            self.assertFalse(form.is_valid())
            return form.errors["day"][0]

    def test_a_buddhist_era_user_typing_a_gregorian_year(self):
        self.assertEqual(
            self.error(C.BUDDHIST, "2026-12-22"),
            "2026 is a Gregorian year; in the Buddhist era that is 2569 "
            "— did you mean 22 December 2569?",
        )

    def test_a_jalali_user_typing_a_gregorian_year_in_persian_digits(self):
        self.assertEqual(
            self.error(C.JALALI, "۲۰۲۶/۱۲/۲۲", C.NATIVE),
            "۲۰۲۶ is a Gregorian year; in the Persian calendar that is ۱۴۰۵ "
            "— did you mean ۱ Dey ۱۴۰۵?",
        )

    def test_a_gregorian_user_typing_a_buddhist_or_jalali_year(self):
        self.assertIn("2569 is a Buddhist-era year", self.error(C.GREGORIAN, "2569-12-22"))
        self.assertEqual(
            self.error(C.GREGORIAN, "1405-10-01"),
            "1405 is a Persian (Jalali) year; in the Gregorian calendar that is 2026 "
            "— did you mean 22 December 2026?",
        )

    def test_impossible_days_name_the_month(self):
        self.assertEqual(
            self.error(C.JALALI, "1404-12-30"), "Esfand 1404 has 29 days; there is no day 30."
        )
        self.assertEqual(
            self.error(C.JALALI, "1404-12-31"), "Esfand 1404 has 29 days; there is no day 31."
        )
        self.assertEqual(
            self.error(C.GREGORIAN, "30/02/2026"), "February 2026 has 28 days; there is no day 30."
        )
        self.assertEqual(
            self.error(C.BUDDHIST, "2569-13-01"), "There is no month 13: months run from 1 to 12."
        )

    def test_a_year_of_no_calendar_gives_the_years_allowed(self):
        first, last = C.year_window(C.GREGORIAN)
        self.assertEqual(
            self.error(C.GREGORIAN, "1700-01-01"),
            f"1700 is too far from today: enter a year from {first} to {last}.",
        )

    def test_a_field_may_reach_further_back(self):
        class Founded(forms.Form):
            day = CalendarDateField(past=500)

        self.assertEqual(Founded({"day": "1700-01-01"}).is_valid(), True)
        self.assertFalse(Founded({"day": "1483-12-22"}).is_valid())  # 2026 typed in BE, read AD
        with C.override(C.BUDDHIST):
            self.assertFalse(Founded({"day": "2026-12-22"}).is_valid())

    def test_the_window_follows_today(self):
        year = self.today_in(C.JALALI)
        self.assertEqual(C.year_window(C.JALALI), (year - 150, year + 150))
        self.assertEqual(
            C.year_window(C.BUDDHIST, today=dt.date(2000, 1, 1)), (2543 - 150, 2543 + 150)
        )

    def test_the_messages_speak_thai_and_persian(self):
        with (
            translation.override("th"),
            C.override(C.BUDDHIST, C.NATIVE, "th"),
            self.assertRaises(C.DateInputError) as caught,
        ):
            C.parse_date("๒๐๒๖-๑๒-๒๒")
        self.assertEqual(
            caught.exception.message,
            "๒๐๒๖ เป็นปีคริสต์ศักราช ซึ่งในพุทธศักราชคือปี ๒๕๖๙ — หมายถึง ๒๒ ธันวาคม ๒๕๖๙ หรือไม่?",
        )
        with (
            translation.override("fa"),
            C.override(C.JALALI, C.NATIVE, "fa"),
            self.assertRaises(C.DateInputError) as caught,
        ):
            C.parse_date("۱۴۰۴/۱۲/۳۰")
        self.assertEqual(caught.exception.message, "اسفند ۱۴۰۴ ۲۹ روز دارد؛ روز ۳۰ وجود ندارد.")
