"""Text normalisation for matching: Persian/Arabic letters, Thai, digits, case, spacing.

`normalize()` is what duplicate checks and search compare; it is not for display.
"""

import re
import unicodedata

import phonenumbers

from .calendars import to_latin_digits

# Arabic letters that Persian keyboards write differently; Arabic-typed names must find
# Persian records and the other way round.
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh -> Persian yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf -> Persian keheh
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ـ": None,  # tatweel (kashida) is decoration only
        "\u200c": None,  # ZWNJ: "می‌خواهم" and "میخواهم" are the same word
        "\u200d": None,  # ZWJ
        "\u200b": None,  # zero-width space (common in Thai text)
        "\u200e": None,  # LRM
        "\u200f": None,  # RLM
        "\ufeff": None,  # BOM
    }
)
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")


def normalize(text):
    """Fold `text` for comparison: same letters, digits, case and spacing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = text.translate(_LETTERS)
    text = _ARABIC_DIACRITICS.sub("", text)
    # Thai: SARA AM may be typed as NIKHAHIT + SARA AA.
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    # Strip accents from Latin letters only (Thai vowels are combining marks too).
    text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    text = to_latin_digits(text).casefold()
    return _SPACES.sub(" ", text).strip()


def compact(text):
    """`normalize()` without any spaces or punctuation, for fuzzy name keys."""
    return "".join(ch for ch in normalize(text) if ch.isalnum())


def digits_only(text):
    return "".join(ch for ch in to_latin_digits(text or "") if ch.isdigit())


def normalize_phone(raw, region="TH"):
    """E.164 for a phone number in any format or script, or '' when it is not one.

    `region` is the country assumed for numbers written without a country code.
    """
    if not raw:
        return ""
    text = to_latin_digits(str(raw)).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
