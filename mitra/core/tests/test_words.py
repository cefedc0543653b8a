"""Amounts in words against hand-written fixtures (LOCAL.md: Thai เอ็ด/ยี่สิบ/ถ้วน rules,
formal Persian with "و" between groups and ریال)."""

from decimal import Decimal

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mitra.core import words
from mitra.core.money import Money, amount_in_words

THAI_BAHT = [
    ("0", "ศูนย์บาทถ้วน"),
    ("1", "หนึ่งบาทถ้วน"),
    ("2", "สองบาทถ้วน"),
    ("10", "สิบบาทถ้วน"),
    ("11", "สิบเอ็ดบาทถ้วน"),
    ("20", "ยี่สิบบาทถ้วน"),
    ("21", "ยี่สิบเอ็ดบาทถ้วน"),
    ("22", "ยี่สิบสองบาทถ้วน"),
    ("100", "หนึ่งร้อยบาทถ้วน"),
    ("101", "หนึ่งร้อยเอ็ดบาทถ้วน"),
    ("110", "หนึ่งร้อยสิบบาทถ้วน"),
    ("111", "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
    ("1000", "หนึ่งพันบาทถ้วน"),
    ("1001", "หนึ่งพันเอ็ดบาทถ้วน"),
    ("1121.50", "หนึ่งพันหนึ่งร้อยยี่สิบเอ็ดบาทห้าสิบสตางค์"),
    ("10000", "หนึ่งหมื่นบาทถ้วน"),
    ("250000", "สองแสนห้าหมื่นบาทถ้วน"),
    ("1000000", "หนึ่งล้านบาทถ้วน"),
    ("1000001", "หนึ่งล้านเอ็ดบาทถ้วน"),
    ("1234567", "หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทถ้วน"),
    ("11000011", "สิบเอ็ดล้านสิบเอ็ดบาทถ้วน"),
    ("21000000", "ยี่สิบเอ็ดล้านบาทถ้วน"),
    ("1000000000", "หนึ่งพันล้านบาทถ้วน"),
    ("2000000000000", "สองล้านล้านบาทถ้วน"),
    ("0.01", "หนึ่งสตางค์"),
    ("0.50", "ห้าสิบสตางค์"),
    ("0.21", "ยี่สิบเอ็ดสตางค์"),
    ("1.21", "หนึ่งบาทยี่สิบเอ็ดสตางค์"),
    ("21.01", "ยี่สิบเอ็ดบาทหนึ่งสตางค์"),
    ("100.10", "หนึ่งร้อยบาทสิบสตางค์"),
    ("99.995", "หนึ่งร้อยบาทถ้วน"),  # rounded half up to the satang first
    ("-5", "ลบห้าบาทถ้วน"),
]

PERSIAN_RIAL = [
    (0, "صفر ریال"),
    (1, "یک ریال"),
    (10, "ده ریال"),
    (11, "یازده ریال"),
    (15, "پانزده ریال"),
    (16, "شانزده ریال"),
    (17, "هفده ریال"),
    (18, "هجده ریال"),
    (21, "بیست و یک ریال"),
    (100, "صد ریال"),
    (101, "صد و یک ریال"),
    (115, "صد و پانزده ریال"),
    (250, "دویست و پنجاه ریال"),
    (999, "نهصد و نود و نه ریال"),
    (1000, "یک هزار ریال"),
    (1001, "یک هزار و یک ریال"),
    (1500, "یک هزار و پانصد ریال"),
    (10000, "ده هزار ریال"),
    (21000, "بیست و یک هزار ریال"),
    (1_000_000, "یک میلیون ریال"),
    (1_001_000, "یک میلیون و یک هزار ریال"),
    (1_250_000, "یک میلیون و دویست و پنجاه هزار ریال"),
    (1_000_000_000, "یک میلیارد ریال"),
    (2_500_000_000, "دو میلیارد و پانصد میلیون ریال"),
    (3_000_000_000_000, "سه تریلیون ریال"),
    (
        123_456_789,
        "صد و بیست و سه میلیون و چهارصد و پنجاه و شش هزار و هفتصد و هشتاد و نه ریال",
    ),
    (-18, "منفی هجده ریال"),
]

ENGLISH = [
    ("0", "THB", "zero baht"),
    ("1", "THB", "one baht"),
    ("11", "THB", "eleven baht"),
    ("21", "THB", "twenty-one baht"),
    ("101", "THB", "one hundred one baht"),
    ("1000", "THB", "one thousand baht"),
    ("1001", "THB", "one thousand one baht"),
    ("1121.50", "THB", "one thousand one hundred twenty-one baht and fifty satang"),
    ("0.01", "THB", "one satang"),
    ("1000000", "THB", "one million baht"),
    ("1000000000", "THB", "one billion baht"),
    ("2000000000000", "THB", "two trillion baht"),
    ("1", "USD", "one dollar"),
    ("2", "USD", "two dollars"),
    ("1.01", "USD", "one dollar and one cent"),
    ("0.99", "USD", "ninety-nine cents"),
    ("15.30", "EUR", "fifteen euros and thirty cents"),
    ("1", "IRR", "one rial"),
    ("1250000", "IRR", "one million two hundred fifty thousand rials"),
    ("100", "JPY", "one hundred yen"),
    ("12", "USD", "twelve dollars"),
    ("40", "USD", "forty dollars"),
    ("90", "USD", "ninety dollars"),
    ("115", "USD", "one hundred fifteen dollars"),
    ("999999", "USD", "nine hundred ninety-nine thousand nine hundred ninety-nine dollars"),
    ("-3", "USD", "minus three dollars"),
    ("7.5", "SGD", "seven SGD and 50/100"),
]


class WordsTest(SimpleTestCase):
    def test_it_writes_thai_baht_with_the_ed_and_yi_rules(self):
        for value, expected in THAI_BAHT:
            with self.subTest(value=value):
                self.assertEqual(amount_in_words(Money(value, "THB"), "th"), expected)

    def test_it_writes_formal_persian_rial(self):
        for value, expected in PERSIAN_RIAL:
            with self.subTest(value=value):
                self.assertEqual(amount_in_words(Money(value, "IRR"), "fa"), expected)

    def test_it_writes_english_amounts(self):
        for value, currency, expected in ENGLISH:
            with self.subTest(value=value, currency=currency):
                self.assertEqual(amount_in_words(Money(value, currency), "en"), expected)

    def test_it_uses_the_active_language(self):
        from django.utils import translation

        with translation.override("th"):
            self.assertEqual(amount_in_words(Money(21, "THB")), "ยี่สิบเอ็ดบาทถ้วน")

    def test_it_refuses_fractions_where_a_whole_number_is_needed(self):
        with self.assertRaises(TypeError):
            words.thai(Decimal("1.5"))

    @given(st.integers(min_value=0, max_value=10**15 - 1))
    def test_thai_words_read_back_to_the_number(self, n):
        self.assertEqual(_read_thai(words.thai(n)), n)

    @given(st.integers(min_value=1, max_value=10**15 - 1))
    def test_persian_words_read_back_to_the_number(self, n):
        text = words.persian(n)
        self.assertEqual(_read_persian(text), n)
        for colloquial in ("پونزده", "شونزده", "هیفده", "هیجده", "تومان"):
            self.assertNotIn(colloquial, text)


def _read_thai(text):
    """A small independent reader of Thai numerals (for the round trip)."""
    digits = {d: i for i, d in enumerate(words._TH_DIGITS)} | {"เอ็ด": 1, "ยี่": 2}
    places = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10**4, "แสน": 10**5}
    if text == "ศูนย์":
        return 0
    total, millions_part = 0, 0
    head, sep, tail = text.rpartition("ล้าน")
    if sep:
        millions_part = _read_thai(head)
        text = tail
    pending = None
    i = 0
    tokens = sorted(list(digits) + list(places), key=len, reverse=True)
    while i < len(text):
        token = next(t for t in tokens if text.startswith(t, i))
        i += len(token)
        if token in digits:
            pending = digits[token]
        else:
            total += (1 if pending is None else pending) * places[token]
            pending = None
    total += pending or 0
    return millions_part * 10**6 + total


def _read_persian(text):
    values = {w: i for i, w in enumerate(words._FA_ONES)}
    values |= {w: 10 + i for i, w in enumerate(words._FA_TEENS)}
    values |= {w: 10 * i for i, w in enumerate(words._FA_TENS) if w != "_"}
    values |= {w: 100 * i for i, w in enumerate(words._FA_HUNDREDS) if w != "_"}
    scales = {w: 1000**i for i, w in enumerate(words._FA_SCALES) if w}
    total = group = 0
    for word in text.split(" "):
        if word == "و":
            continue
        if word in scales:
            total += (group or 1) * scales[word]
            group = 0
        else:
            group += values[word]
    return total + group
