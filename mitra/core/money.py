"""Money: an amount and an ISO 4217 currency. Decimal only, never float.

    total = Money("1121.50", "THB")
    total + Money("10", "THB")          # Money('1131.50', 'THB')
    total * Decimal("0.07")             # unrounded; .rounded() to the currency's minor unit
    total.allocate([1, 1, 1])           # three parts that add up to the cent
    format_money(total)                 # "1,121.50 บาท" for a Thai user, with the user's digits
    amount_in_words(total, "th")        # "หนึ่งพันหนึ่งร้อยยี่สิบเอ็ดบาทห้าสิบสตางค์"

A record stores money in two columns, an amount (`AmountField`) and a currency
(`CurrencyField`), named `<name>_amount` and `<name>_currency`; `MoneyField()` on the model
reads and writes them together as one `Money`. Plain columns keep `.values()`, filters and
aggregation working on every database: `sum_by_currency(qs, "total")`.

One rounding rule: ROUND_HALF_UP to the currency's minor unit (`quantize`), applied where a
computed amount is stored or shown, never in between.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

ROUNDING = ROUND_HALF_UP
DEFAULT_CURRENCY = "THB"

# Minor units (decimal places) per currency: ISO 4217's list (SIX, "List one", column
# "Minor unit"), except IRR: ISO lists 2, but no rial fractions exist in practice and CLDR
# (the Unicode locale data, `supplementalData.xml` currencyData) gives IRR digits="0",
# which is what every official Iranian document shows. A new code (Iran's announced
# redenomination) is one `register_currency()` call away.
MINOR_UNITS = {
    "AED": 2, "AUD": 2, "BHD": 3, "BND": 2, "CAD": 2, "CHF": 2, "CNY": 2, "DKK": 2,
    "EUR": 2, "GBP": 2, "HKD": 2, "IDR": 2, "INR": 2, "IQD": 3, "IRR": 0, "JOD": 3,
    "JPY": 0, "KHR": 2, "KRW": 0, "KWD": 3, "LAK": 2, "LYD": 3, "MMK": 2, "MYR": 2,
    "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "QAR": 2, "RUB": 2, "SAR": 2, "SEK": 2,
    "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "USD": 2, "VND": 0,
}  # fmt: skip


def register_currency(code, minor_units):
    """Make a currency code known (a new ISO code, a redenominated one)."""
    if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isupper()):
        raise ValueError(f"not an ISO 4217 code: {code!r}")
    MINOR_UNITS[code] = int(minor_units)


def minor_units(currency):
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise ValueError(f"unknown currency: {currency!r}") from None


class CurrencyMismatch(TypeError):
    """Arithmetic or comparison between two different currencies."""


def to_decimal(value):
    """A Decimal from a Decimal, int or numeric string; a float is refused."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool | float):
        raise TypeError("money is never a float: pass a Decimal, an int or a string")
    elif isinstance(value, int | str):
        try:
            result = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not an amount: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return result


def quantize(amount, currency):
    """`amount` rounded half up to the currency's minor unit (1121.505 THB → 1121.51)."""
    return to_decimal(amount).quantize(Decimal(1).scaleb(-minor_units(currency)), ROUNDING)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount, currency=DEFAULT_CURRENCY):
        currency = str(currency).upper()
        minor_units(currency)  # known?
        object.__setattr__(self, "amount", to_decimal(amount))
        object.__setattr__(self, "currency", currency)

    def __repr__(self):
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self):
        return f"{self.rounded().amount} {self.currency}"

    @classmethod
    def zero(cls, currency=DEFAULT_CURRENCY):
        return cls(0, currency)

    @classmethod
    def from_minor(cls, units, currency=DEFAULT_CURRENCY):
        """Money from an integer count of minor units (satang, cents)."""
        if not isinstance(units, int) or isinstance(units, bool):
            raise TypeError("minor units are an int")
        return cls(Decimal(units).scaleb(-minor_units(currency)), currency)

    @property
    def minor(self):
        """The rounded amount as an integer count of minor units."""
        return int(self.rounded().amount.scaleb(minor_units(self.currency)))

    def rounded(self):
        return Money(quantize(self.amount, self.currency), self.currency)

    def _other(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} do not mix")
        return other.amount

    def __add__(self, other):
        if type(other) is int and other == 0:  # sum() starts from 0
            return self
        amount = self._other(other)
        return amount if amount is NotImplemented else Money(self.amount + amount, self.currency)

    __radd__ = __add__

    def __sub__(self, other):
        amount = self._other(other)
        return amount if amount is NotImplemented else Money(self.amount - amount, self.currency)

    def __mul__(self, factor):
        if isinstance(factor, Money):
            return NotImplemented
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor):
        if isinstance(divisor, Money):
            if divisor.currency != self.currency:
                raise CurrencyMismatch(f"{self.currency} and {divisor.currency} do not mix")
            return self.amount / divisor.amount  # a ratio, no currency
        return Money(self.amount / to_decimal(divisor), self.currency)

    def __neg__(self):
        return Money(-self.amount, self.currency)

    def __pos__(self):
        return self

    def __abs__(self):
        return Money(abs(self.amount), self.currency)

    def __bool__(self):
        return bool(self.amount)

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self):
        return hash((self.amount, self.currency))

    def __lt__(self, other):
        amount = self._other(other)
        return amount if amount is NotImplemented else self.amount < amount

    def __le__(self, other):
        amount = self._other(other)
        return amount if amount is NotImplemented else self.amount <= amount

    def __gt__(self, other):
        amount = self._other(other)
        return amount if amount is NotImplemented else self.amount > amount

    def __ge__(self, other):
        amount = self._other(other)
        return amount if amount is NotImplemented else self.amount >= amount

    def allocate(self, ratios):
        """Split the rounded amount by `ratios` (ints or Decimals) into parts that add up to
        it exactly: each part is rounded down to the minor unit and the units left over go,
        one each, to the parts with the largest remainders (earliest first on a tie)."""
        ratios = [to_decimal(r) for r in ratios]
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("ratios must be non-negative and not all zero")
        total = self.minor
        sign = -1 if total < 0 else 1
        total = abs(total)
        whole = sum(ratios)
        shares = [total * r / whole for r in ratios]
        parts = [int(s) for s in shares]  # toward zero = down, all are non-negative
        left = total - sum(parts)
        order = sorted(range(len(parts)), key=lambda i: (-(shares[i] - parts[i]), i))
        for i in order[:left]:
            parts[i] += 1
        return [Money.from_minor(sign * p, self.currency) for p in parts]

    def split(self, n):
        """`n` parts as equal as the minor unit allows, adding up exactly."""
        if not isinstance(n, int) or n < 1:
            raise ValueError("split into one part or more")
        return self.allocate([1] * n)


def sum_money(items, currency=DEFAULT_CURRENCY):
    """The sum of Money values (zero in `currency` when there are none)."""
    return sum(items, Money.zero(currency))


# -- model fields ------------------------------------------------------------------------


def AmountField(verbose_name=None, **kwargs):  # noqa: N802 - reads like a field class
    """The amount column of a money value: DECIMAL(20, 4), room for rial totals to 10^16
    and for unit prices finer than the currency's minor unit."""
    kwargs.setdefault("max_digits", 20)
    kwargs.setdefault("decimal_places", 4)
    return models.DecimalField(verbose_name, **kwargs)


def validate_currency(value):
    if value not in MINOR_UNITS:
        raise ValidationError(_("%(code)s is not a known currency."), params={"code": value})


def CurrencyField(verbose_name=None, **kwargs):  # noqa: N802
    """The currency column of a money value: a three-letter ISO 4217 code."""
    kwargs.setdefault("max_length", 3)
    kwargs.setdefault("default", DEFAULT_CURRENCY)
    kwargs.setdefault("validators", [validate_currency])
    return models.CharField(verbose_name or _("currency"), **kwargs)


class MoneyField(property):
    """`total = MoneyField()` reads `total_amount` + `total_currency` as one `Money`
    (None when the amount is NULL) and sets both from a `Money`. Not a column itself, so it
    adds nothing to migrations; the two columns are declared next to it. A `property`, so
    `Model(total=Money(...))` and `objects.create(total=...)` take it."""

    def __init__(self, amount_field=None, currency_field=None):
        super().__init__()
        self.amount_field = amount_field
        self.currency_field = currency_field

    def contribute_to_class(self, cls, name):
        self.name = name
        self.amount_field = self.amount_field or f"{name}_amount"
        self.currency_field = self.currency_field or f"{name}_currency"
        setattr(cls, name, self)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        amount = getattr(obj, self.amount_field)
        if amount is None:
            return None
        return Money(amount, getattr(obj, self.currency_field))

    def __set__(self, obj, value):
        if value is None:
            setattr(obj, self.amount_field, None)
            return
        if not isinstance(value, Money):
            raise TypeError(f"{self.name} takes a Money, not {value!r}")
        setattr(obj, self.amount_field, value.amount)
        setattr(obj, self.currency_field, value.currency)


def sum_by_currency(queryset, name):
    """{currency: Money} summed in the database, one row per currency:
    `sum_by_currency(Quote.objects.visible_to(user), "total")`."""
    rows = (
        queryset.order_by()
        .values(f"{name}_currency")
        .annotate(total=Sum(f"{name}_amount"))
        .values_list(f"{name}_currency", "total")
    )
    return {code: Money(total or 0, code) for code, total in rows}


# -- formatting --------------------------------------------------------------------------

NBSP = "\u00a0"
# How a language writes a currency: (sign, before the number?). Others: the ISO code
# after the number ("1,234.50 USD"), which reads the same in every script.
_SIGNS = {
    "en": {"USD": ("$", True), "EUR": ("€", True), "GBP": ("£", True), "JPY": ("¥", True)},
    "th": {"THB": ("บาท", False)},
    "fa": {"IRR": ("ریال", False)},
}
_PERSIAN_SEPARATORS = ("٬", "٫")  # U+066C thousands, U+066B decimal


def _group(digits):
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def format_number(amount, places, digits=None, script=None):
    """`amount` rounded to `places`, grouped by thousands, in the user's digits
    (Persian digits bring the Persian separators ٬ and ٫)."""
    from . import calendars

    amount = to_decimal(amount).quantize(Decimal(1).scaleb(-places), ROUNDING)
    sign = "-" if amount < 0 else ""
    whole, _dot, frac = f"{abs(amount):f}".partition(".")
    text = _group(whole) + ("." + frac if frac else "")
    cur_calendar, cur_digits, cur_script = calendars.current()
    digits, script = digits or cur_digits, script or cur_script
    native = calendars.localize_digits(text, digits, script)
    if native != text and script == "fa":
        native = native.replace(",", "\0").replace(".", _PERSIAN_SEPARATORS[1])
        native = native.replace("\0", _PERSIAN_SEPARATORS[0])
    return sign + native


def _parts(money, language=None, digits=None, script=None):
    """(before, number, after) of a formatted amount."""
    from django.utils.translation import get_language

    language = (language or get_language() or "en").split("-")[0]
    number = format_number(money.amount, minor_units(money.currency), digits, script)
    sign, before = _SIGNS.get(language, {}).get(money.currency, (money.currency, False))
    if not before:
        return "", number, f"{NBSP}{sign}"
    minus, number = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{minus}{sign}{'' if len(sign) == 1 else NBSP}", number, ""


def format_money(money, language=None, digits=None, script=None):
    """Plain text: the amount in the user's digits with the currency where the language
    writes it ("$1,234.50", "-$5.00", "1,121.50 บาท", "۱٬۲۵۰٬۰۰۰ ریال", "1,234.50 USD")."""
    return "".join(_parts(money, language, digits, script))


def money_html(money, language=None, digits=None, script=None):
    """`format_money` isolated for bidi text: the number keeps its sign and digit order
    (`<bdi dir="ltr">`) and the whole takes its direction from the currency's name, so
    "۱٬۲۵۰٬۰۰۰ ریال" reads right to left and "1,234.50 USD" left to right in any page."""
    from django.utils.html import escape

    before, number, after = _parts(money, language, digits, script)
    return (
        f'<bdi class="money">{escape(before)}<bdi dir="ltr">{escape(number)}</bdi>'
        f"{escape(after)}</bdi>"
    )


def amount_in_words(money, language=None):
    """The amount written out for documents: English, Thai (…บาทถ้วน) or formal Persian."""
    from django.utils.translation import get_language

    from . import words

    language = (language or get_language() or "en").split("-")[0]
    return words.amount_in_words(money, language)
