"""Money: Decimal only, one currency at a time, minor units, rounding, allocation, the
two-column model field, and the |money filter in each language's digits and direction."""

from decimal import Decimal

from django.db import connection, models
from django.template import Context, Template
from django.test import SimpleTestCase, TransactionTestCase
from django.test.utils import isolate_apps
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mitra.core import calendars
from mitra.core.money import (
    AmountField,
    CurrencyField,
    CurrencyMismatch,
    Money,
    MoneyField,
    format_money,
    minor_units,
    quantize,
    register_currency,
    sum_by_currency,
    sum_money,
)


class MoneyTest(SimpleTestCase):
    def test_it_never_takes_a_float(self):
        with self.assertRaises(TypeError):
            Money(1.5, "THB")
        with self.assertRaises(TypeError):
            Money("1", "THB") * 1.07
        self.assertEqual(Money("1.50", "THB").amount, Decimal("1.50"))

    def test_it_refuses_unknown_currencies_and_non_numbers(self):
        with self.assertRaises(ValueError):
            Money(1, "XYZ")
        with self.assertRaises(ValueError):
            Money("abc", "THB")
        with self.assertRaises(ValueError):
            Money("NaN", "THB")

    def test_it_adds_and_compares_within_one_currency_only(self):
        a, b = Money("10.25", "THB"), Money("0.75", "THB")
        self.assertEqual(a + b, Money(11, "THB"))
        self.assertEqual(a - b, Money("9.50", "thb"))
        self.assertLess(b, a)
        self.assertEqual(sum([a, b]), Money(11, "THB"))
        self.assertEqual(sum_money([], "IRR"), Money(0, "IRR"))
        with self.assertRaises(CurrencyMismatch):
            a + Money(1, "USD")
        with self.assertRaises(CurrencyMismatch):
            a < Money(1, "USD")  # noqa: B015
        self.assertNotEqual(Money(1, "THB"), Money(1, "USD"))
        with self.assertRaises(TypeError):
            a + Decimal(1)

    def test_it_multiplies_by_decimals_and_ints(self):
        price = Money("99.99", "THB")
        self.assertEqual(price * 3, Money("299.97", "THB"))
        self.assertEqual(Decimal("0.07") * price, Money("6.9993", "THB"))
        self.assertEqual((price * Decimal("0.07")).rounded(), Money("7.00", "THB"))
        self.assertEqual(Money(10, "USD") / Money(4, "USD"), Decimal("2.5"))

    def test_it_knows_minor_units_per_currency(self):
        self.assertEqual(
            [minor_units(c) for c in ("THB", "IRR", "USD", "EUR", "JPY", "KWD")], [2, 0, 2, 2, 0, 3]
        )
        self.assertEqual(Money("12.34", "THB").minor, 1234)
        self.assertEqual(Money.from_minor(1234, "THB"), Money("12.34", "THB"))
        self.assertEqual(Money.from_minor(1234, "IRR"), Money(1234, "IRR"))

    def test_it_rounds_half_up_to_the_minor_unit(self):
        self.assertEqual(quantize("1121.505", "THB"), Decimal("1121.51"))
        self.assertEqual(quantize("1121.504", "THB"), Decimal("1121.50"))
        self.assertEqual(quantize("-0.005", "USD"), Decimal("-0.01"))
        self.assertEqual(quantize("2.5", "IRR"), Decimal("3"))
        self.assertEqual(quantize("0.0005", "KWD"), Decimal("0.001"))

    def test_a_new_currency_code_can_be_added(self):
        register_currency("XTS", 2)  # ISO's code reserved for testing
        self.assertEqual(Money("1.005", "XTS").rounded(), Money("1.01", "XTS"))
        with self.assertRaises(ValueError):
            register_currency("toman", 0)

    def test_it_allocates_without_losing_a_satang(self):
        self.assertEqual(
            Money(100, "THB").split(3),
            [Money("33.34", "THB"), Money("33.33", "THB"), Money("33.33", "THB")],
        )
        self.assertEqual(
            Money("0.05", "USD").allocate([70, 30]), [Money("0.04", "USD"), Money("0.01", "USD")]
        )
        self.assertEqual(
            Money(10, "IRR").allocate([1, 1, 1]),
            [Money(4, "IRR"), Money(3, "IRR"), Money(3, "IRR")],
        )
        self.assertEqual(Money("-1", "THB").split(3)[0], Money("-0.34", "THB"))
        with self.assertRaises(ValueError):
            Money(1, "THB").allocate([0, 0])

    @given(
        st.integers(min_value=-(10**12), max_value=10**12),
        st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
        st.sampled_from(["THB", "IRR", "KWD"]),
    )
    def test_allocation_always_adds_up(self, units, ratios, currency):
        money = Money.from_minor(units, currency)
        parts = money.allocate(ratios)
        self.assertEqual(sum(parts), money)
        self.assertEqual(len(parts), len(ratios))
        for part, ratio in zip(parts, ratios, strict=True):
            exact = Decimal(abs(units)) * ratio / sum(ratios)
            self.assertLessEqual(abs(abs(part.minor) - exact), 1)


class FormatTest(SimpleTestCase):
    def render(self, value, language, calendar="gregorian", digits="latin"):
        with translation.override(language), calendars.override(calendar, digits, language):
            return Template("{% load money %}{{ value|money }}").render(Context({"value": value}))

    def test_english_puts_the_sign_before_and_groups_thousands(self):
        self.assertEqual(format_money(Money("1234567.5", "USD"), "en"), "$1,234,567.50")
        self.assertEqual(format_money(Money("1121.5", "THB"), "en"), "1,121.50\xa0THB")
        self.assertEqual(format_money(Money("5", "JPY"), "en"), "¥5")
        self.assertEqual(format_money(Money("-5", "USD"), "en"), "-$5.00")
        self.assertEqual(format_money(Money("-5", "THB"), "en"), "-5.00\xa0THB")

    def test_thai_writes_baht_after_the_amount_in_the_chosen_digits(self):
        self.assertIn(">1,121.50</bdi>\xa0บาท</bdi>", self.render(Money("1121.5", "THB"), "th"))
        html = self.render(Money("1121.5", "THB"), "th", "buddhist", "native")
        self.assertIn("๑,๑๒๑.๕๐", html)

    def test_persian_shows_rial_with_persian_digits_and_separators(self):
        html = self.render(Money(1250000, "IRR"), "fa", "jalali", "native")
        self.assertEqual(html, '<bdi class="money"><bdi dir="ltr">۱٬۲۵۰٬۰۰۰</bdi>\xa0ریال</bdi>')
        html = self.render(Money("-10.5", "USD"), "fa", "jalali", "native")
        self.assertIn('<bdi dir="ltr">-۱۰٫۵۰</bdi>\xa0USD', html)

    def test_it_formats_the_two_columns_of_a_values_row(self):
        with translation.override("en"):
            out = Template('{% load money %}{{ a|money:"IRR" }}|{{ none|money }}').render(
                Context({"a": Decimal("1250000.0000"), "none": None})
            )
        self.assertIn(">1,250,000</bdi>\xa0IRR", out)
        self.assertTrue(out.endswith("|"))

    def test_amount_words_filter(self):
        with translation.override("fa"):
            out = Template("{% load money %}{{ m|amount_words }}").render(
                Context({"m": Money(1250000, "IRR")})
            )
        self.assertEqual(out, "یک میلیون و دویست و پنجاه هزار ریال")


@isolate_apps("mitra.core")
class MoneyFieldTest(TransactionTestCase):
    """The two columns of a money value on the database in use, and sums per currency."""

    def setUp(self):
        class Deal(models.Model):
            total_amount = AmountField(null=True)
            total_currency = CurrencyField()
            total = MoneyField()

            class Meta:
                app_label = "core"

            def __str__(self):
                return str(self.total)

        self.Deal = Deal
        with connection.schema_editor() as editor:
            editor.create_model(Deal)

    def tearDown(self):
        with connection.schema_editor() as editor:
            editor.delete_model(self.Deal)

    def test_it_stores_and_reads_money_and_sums_per_currency(self):
        Deal = self.Deal
        Deal.objects.create(total=Money("1121.50", "THB"))
        Deal.objects.create(total=Money("0.50", "THB"))
        Deal.objects.create(total=Money(1250000, "IRR"))
        Deal.objects.create(total=None)
        deal = Deal.objects.order_by("pk").first()
        self.assertEqual(deal.total, Money("1121.50", "THB"))
        self.assertIsInstance(deal.total_amount, Decimal)
        self.assertIsNone(Deal.objects.order_by("pk").last().total)
        with self.assertNumQueries(1):
            sums = sum_by_currency(Deal.objects.all(), "total")
        self.assertEqual(sums, {"THB": Money(1122, "THB"), "IRR": Money(1250000, "IRR")})
        self.assertEqual(
            list(
                Deal.objects.filter(total_currency="THB", total_amount__isnull=False)
                .order_by("pk")
                .values_list("total_amount", flat=True)
            ),
            [Decimal("1121.5"), Decimal("0.5")],
        )
        with self.assertRaises(TypeError):
            deal.total = Decimal(1)
