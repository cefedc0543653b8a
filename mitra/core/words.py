"""Amounts in words for documents: English, Thai and formal Persian.

Our own, checked against the fixture tables in `core/tests/test_words.py`:
- Thai follows the bank and Revenue Department usage that Excel's BAHTTEXT prints:
  1 in the units place of a number with more digits is เอ็ด (11 สิบเอ็ด, 21 ยี่สิบเอ็ด,
  101 หนึ่งร้อยเอ็ด, 1,000,001 หนึ่งล้านเอ็ด), 2 in the tens place is ยี่ (ยี่สิบ), 1 there is
  just สิบ; past a million the count of millions is read again (ล้านล้าน). An amount
  without satang ends in ถ้วน ("…บาทถ้วน"), otherwise "…บาท…สตางค์". num2words 0.5.14
  (lang="th") gives the same strings for the fixtures; it has no English words for baht or
  rial, so one module of ours serves all three languages.
- Persian is the formal written form of cheques and invoices: پانزده، شانزده، هفده، هجده
  (not the spoken پونزده…), "و" between every part (یک میلیون و دویست و پنجاه هزار), one
  thousand as "یک هزار", short scale (میلیون 10^6, میلیارد 10^9, تریلیون 10^12), and the
  currency ریال (num2words' Persian is colloquial and says تومان).
- English: "one thousand one hundred twenty-one baht and fifty satang".
"""

from decimal import Decimal

# -- English ---------------------------------------------------------------------------

_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SCALES = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"]


def _en_below_thousand(n):
    parts = []
    if n >= 100:
        parts.append(f"{_EN_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        parts.append(_EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else ""))
    elif n:
        parts.append(_EN_ONES[n])
    return " ".join(parts)


def english(n):
    """An integer in English words: 1121 → "one thousand one hundred twenty-one"."""
    n = _whole(n)
    if n < 0:
        return "minus " + english(-n)
    if n == 0:
        return "zero"
    parts, scale = [], 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            if scale >= len(_EN_SCALES):
                raise ValueError("number too large")
            words = _en_below_thousand(group)
            parts.append(f"{words} {_EN_SCALES[scale]}".strip())
        scale += 1
    return " ".join(reversed(parts))


# -- Thai ------------------------------------------------------------------------------

_TH_DIGITS = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
_TH_PLACES = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"]


def _th_below_million(n, after_more):
    """0 < n < 1,000,000; `after_more`: higher digits precede this group (so a final 1
    is เอ็ด even when the group itself is just 1)."""
    digits = [int(d) for d in str(n)]
    length = len(digits)
    out = []
    for i, d in enumerate(digits):
        place = length - 1 - i
        if d == 0:
            continue
        if place == 0:
            out.append("เอ็ด" if d == 1 and (after_more or length > 1) else _TH_DIGITS[d])
        elif place == 1:
            out.append({1: "", 2: "ยี่"}.get(d, _TH_DIGITS[d]) + "สิบ")
        else:
            out.append(_TH_DIGITS[d] + _TH_PLACES[place])
    return "".join(out)


def thai(n):
    """An integer in Thai words: 1121 → "หนึ่งพันหนึ่งร้อยยี่สิบเอ็ด"."""
    n = _whole(n)
    if n < 0:
        return "ลบ" + thai(-n)
    if n == 0:
        return _TH_DIGITS[0]
    return _thai(n, after_more=False)


def _thai(n, after_more):
    if n >= 1_000_000:
        millions, rest = divmod(n, 1_000_000)
        return _thai(millions, after_more) + "ล้าน" + (_th_below_million(rest, True) if rest else "")
    return _th_below_million(n, after_more)


# -- Persian (formal) ------------------------------------------------------------------

_FA_ONES = ["صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"]
_FA_TEENS = [
    "ده",
    "یازده",
    "دوازده",
    "سیزده",
    "چهارده",
    "پانزده",
    "شانزده",
    "هفده",
    "هجده",
    "نوزده",
]
_FA_TENS = ["_", "_", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"]
_FA_HUNDREDS = ["_", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"]
_FA_SCALES = ["", "هزار", "میلیون", "میلیارد", "تریلیون", "کوادریلیون", "کوینتیلیون"]
_FA_AND = " و "


def _fa_below_thousand(n):
    parts = []
    if n >= 100:
        parts.append(_FA_HUNDREDS[n // 100])
        n %= 100
    if n >= 20:
        parts.append(_FA_TENS[n // 10])
        n %= 10
    if n >= 10:
        parts.append(_FA_TEENS[n - 10])
    elif n:
        parts.append(_FA_ONES[n])
    return _FA_AND.join(parts)


def persian(n):
    """An integer in formal Persian: 1250000 → "یک میلیون و دویست و پنجاه هزار"."""
    n = _whole(n)
    if n < 0:
        return "منفی " + persian(-n)
    if n == 0:
        return _FA_ONES[0]
    parts, scale = [], 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            if scale >= len(_FA_SCALES):
                raise ValueError("number too large")
            parts.append(f"{_fa_below_thousand(group)} {_FA_SCALES[scale]}".strip())
        scale += 1
    return _FA_AND.join(reversed(parts))


def _whole(n):
    if isinstance(n, bool) or not isinstance(n, int | Decimal) or n != int(n):
        raise TypeError(f"a whole number, not {n!r}")
    return int(n)


# -- amounts ---------------------------------------------------------------------------

# (major singular, major plural, minor singular, minor plural) per language and currency.
_NAMES = {
    "en": {
        "THB": ("baht", "baht", "satang", "satang"),
        "USD": ("dollar", "dollars", "cent", "cents"),
        "EUR": ("euro", "euros", "cent", "cents"),
        "GBP": ("pound", "pounds", "penny", "pence"),
        "IRR": ("rial", "rials", "", ""),
        "JPY": ("yen", "yen", "", ""),
    },
    "th": {
        "THB": ("บาท",) * 2 + ("สตางค์",) * 2,
        "USD": ("ดอลลาร์สหรัฐ",) * 2 + ("เซนต์",) * 2,
        "EUR": ("ยูโร",) * 2 + ("เซนต์",) * 2,
        "IRR": ("เรียล",) * 2 + ("",) * 2,
    },
    "fa": {
        "IRR": ("ریال",) * 2 + ("",) * 2,
        "USD": ("دلار",) * 2 + ("سنت",) * 2,
        "EUR": ("یورو",) * 2 + ("سنت",) * 2,
        "THB": ("بات",) * 2 + ("ساتانگ",) * 2,
    },
}
_SPELL = {"en": english, "th": thai, "fa": persian}


def amount_in_words(money, language="en"):
    """`money` (rounded to its minor unit) in words in `language` (en, th or fa)."""
    from .money import minor_units

    language = language if language in _SPELL else "en"
    spell = _SPELL[language]
    rounded = money.rounded()
    places = minor_units(money.currency)
    negative = rounded.amount < 0
    units = abs(rounded.minor)
    major, minor = divmod(units, 10**places) if places else (units, 0)
    names = _NAMES[language].get(money.currency)
    if names is None or (minor and not names[2]):
        names = (money.currency, money.currency, "", "")
    one, many, minor_one, minor_many = names

    if language == "th":
        text = spell(major) + one if (major or not minor) else ""
        if minor:
            text += spell(minor) + minor_one if minor_one else f" {minor}/{10**places}"
        elif money.currency == "THB":
            text += "ถ้วน"
        return ("ลบ" if negative else "") + text

    parts = []
    if major or not minor:
        parts.append(f"{spell(major)} {one if major == 1 else many}")
    if minor:
        if minor_one:
            parts.append(f"{spell(minor)} {minor_one if minor == 1 else minor_many}")
        else:
            parts.append(f"{minor}/{10**places}")
    text = (" and " if language == "en" else _FA_AND).join(parts)
    if negative:
        text = ("minus " if language == "en" else "منفی ") + text
    return text
