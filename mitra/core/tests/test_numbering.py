"""Number series: patterns with Gregorian, Buddhist-era and Jalali years that restart on
each calendar's new year, gapless under rollback, and safe with two writers."""

import datetime as dt
import threading
import unittest

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from mitra.core import calendars, numbering
from mitra.core.numbering import CodeSequence, NumberSeries, next_number


def _register():
    numbering.register("quotation", "Quotation", "QT-{year}-{seq:05}")
    numbering.register("invoice-th", "Tax invoice", "INV{yy}{seq:04}", calendar=calendars.BUDDHIST)
    numbering.register("invoice-ir", "Invoice", "{year}/{seq}", calendar=calendars.JALALI)
    numbering.register("ticket", "Ticket", "T{seq:06}")


class NumberingTest(TestCase):
    def setUp(self):
        _register()

    def take(self, key, on, **kwargs):
        with transaction.atomic():
            return next_number(key, on=on, **kwargs)

    def test_it_numbers_by_the_pattern_and_restarts_on_a_new_gregorian_year(self):
        self.assertEqual(self.take("quotation", dt.date(2026, 12, 30)), "QT-2026-00001")
        self.assertEqual(self.take("quotation", dt.date(2026, 12, 31)), "QT-2026-00002")
        self.assertEqual(self.take("quotation", dt.date(2027, 1, 1)), "QT-2027-00001")
        # A late document of the old year continues that year's series.
        self.assertEqual(self.take("quotation", dt.date(2026, 12, 31)), "QT-2026-00003")

    def test_buddhist_years_turn_on_the_first_of_january(self):
        self.assertEqual(self.take("invoice-th", dt.date(2026, 12, 31)), "INV690001")
        self.assertEqual(self.take("invoice-th", dt.date(2027, 1, 1)), "INV700001")
        self.assertTrue(CodeSequence.objects.filter(name="invoice-th", period="2570").exists())

    def test_jalali_years_turn_at_nowruz(self):
        self.assertEqual(self.take("invoice-ir", dt.date(2026, 3, 20)), "1404/1")
        self.assertEqual(self.take("invoice-ir", dt.date(2026, 3, 20)), "1404/2")
        self.assertEqual(self.take("invoice-ir", dt.date(2026, 3, 21)), "1405/1")  # 1 Farvardin

    def test_a_pattern_without_a_year_never_restarts(self):
        self.assertEqual(self.take("ticket", dt.date(2026, 12, 31)), "T000001")
        self.assertEqual(self.take("ticket", dt.date(2027, 1, 1)), "T000002")

    def test_a_rolled_back_transaction_gives_its_number_back(self):
        self.assertEqual(self.take("quotation", dt.date(2026, 5, 1)), "QT-2026-00001")
        with self.assertRaises(RuntimeError), transaction.atomic():
            self.assertEqual(next_number("quotation", on=dt.date(2026, 5, 1)), "QT-2026-00002")
            raise RuntimeError("the document could not be saved")
        self.assertEqual(self.take("quotation", dt.date(2026, 5, 1)), "QT-2026-00002")

    def test_the_administrators_pattern_and_calendar_win(self):
        self.take("quotation", dt.date(2026, 5, 1))
        series = NumberSeries.objects.get(key="quotation")
        self.assertEqual((series.pattern, series.calendar), ("QT-{year}-{seq:05}", "gregorian"))
        series.pattern, series.calendar = "Q{year}-{seq:03}", calendars.BUDDHIST
        series.full_clean()
        series.save()
        self.assertEqual(self.take("quotation", dt.date(2026, 5, 1)), "Q2569-001")
        self.assertEqual(series.history.count(), 2)
        self.assertEqual(str(series), "Quotation")

    def test_a_call_may_pass_its_own_pattern(self):
        self.assertEqual(
            self.take("quotation", dt.date(2026, 5, 1), pattern="X-{seq:03}-{year}"), "X-001-2026"
        )

    def test_an_unknown_series_is_an_error(self):
        with self.assertRaises(LookupError), transaction.atomic():
            next_number("nothing")

    def test_bad_patterns_are_refused_with_a_message(self):
        for pattern in ("QT-{year}", "{seq}-{month}", "{seq:zz}", "{seq", "{0}{seq}"):
            with self.subTest(pattern=pattern), self.assertRaises(ValidationError):
                numbering.validate_pattern(pattern)
        with self.assertRaises(ValidationError):
            numbering.register("bad", "Bad", "QT-{year}")
        numbering.validate_pattern("QT-{year}-{seq:05}")

    def test_codes_reserve_blocks_as_party_codes_always_did(self):
        self.assertEqual(CodeSequence.reserve("demo-codes", 5), 1)
        self.assertEqual(CodeSequence.reserve("demo-codes"), 6)
        self.assertEqual(CodeSequence.objects.get(name="demo-codes", period="").value, 6)


class OutsideTransactionTest(SimpleTestCase):
    def test_it_refuses_to_run_outside_a_transaction(self):
        # A number taken in autocommit mode would be used up even if the document's own
        # save failed: refused before any query.
        _register()
        with self.assertRaises(transaction.TransactionManagementError):
            next_number("quotation")


@unittest.skipIf(connection.vendor == "sqlite", "needs a database server shared by threads")
class ConcurrentNumberingTest(TransactionTestCase):
    """Two issuers at once (PostgreSQL, MariaDB): the second waits on the row lock, so
    numbers are unique and consecutive. On SQLite every transaction holds the database's
    write lock (IMMEDIATE), which serialises them the same way."""

    def test_parallel_issuers_get_consecutive_distinct_numbers(self):
        _register()
        with transaction.atomic():  # the series exists; its 2026 counter does not yet
            self.assertEqual(next_number("quotation", on=dt.date(2025, 5, 1)), "QT-2025-00001")
        got, errors = [], []
        barrier = threading.Barrier(4)

        def issue():
            try:
                barrier.wait()
                for _ in range(5):
                    with transaction.atomic():
                        got.append(next_number("quotation", on=dt.date(2026, 5, 1)))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=issue) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(got), [f"QT-2026-{n:05d}" for n in range(1, 21)])
