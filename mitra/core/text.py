"""Text normalisation for matching: Persian/Arabic letters, Thai, digits, case, spacing.

`normalize()` is what duplicate checks and search compare; it is not for display.
"""

import contextvars
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
        "ھ": "ه",  # heh doachashmee (Urdu/Kurdish keyboards)
        "ە": "ه",  # ae (Kurdish keyboards)
        "ٸ": "ی",  # high hamza yeh
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
# Thai marks stacked on one consonant look the same in any typed order (a tone mark before
# or after SARA I), so each run is put in one order: vowels, tone marks, then the rest.
_THAI_MARK_RUN = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2,}")
_THAI_MARK_RANK = dict.fromkeys("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47", 0)
_THAI_MARK_RANK.update(dict.fromkeys("\u0e48\u0e49\u0e4a\u0e4b", 1))
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")


def _thai_marks(match):
    return "".join(sorted(match.group(), key=lambda ch: _THAI_MARK_RANK.get(ch, 2)))


def normalize(text):
    """Fold `text` for comparison: same letters, digits, case and spacing.

    Arabic-typed Persian (ي/ك) equals Persian (ی/ک), ZWNJ and kashida vanish, Persian,
    Arabic-Indic and Thai digits become Latin, Thai SARA AM typed as two characters and
    SARA E typed twice fold to one, Latin accents and case go, spaces collapse.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii():
        # Most codes, emails and phone numbers: nothing to fold but case and spacing.
        return _SPACES.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_LETTERS)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = _THAI_MARK_RUN.sub(_thai_marks, text)
    # Thai: SARA AM may be typed as NIKHAHIT + SARA AA, SARA AE as SARA E twice.
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    text = to_latin_digits(text).casefold()
    # Strip accents from Latin letters only (Thai vowels are combining marks too).
    text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    return _SPACES.sub(" ", text).strip()


def compact(text):
    """`normalize()` without any spaces or punctuation, for name keys.

    Letters, digits and combining marks stay (Thai vowels and tone marks are marks: without
    them different names would share a key).
    """
    return compact_normal(normalize(text))


class _KeepTable(dict):
    """A str.translate() table that keeps the characters `keep(ch)` accepts and drops the
    rest, deciding once per character (translate then runs at C speed): character by
    character in Python was a tenth of an import's parsing time."""

    def __init__(self, keep):
        super().__init__()
        self.keep = keep

    def __missing__(self, code):
        value = code if self.keep(chr(code)) else None
        self[code] = value
        return value


_LETTERS_DIGITS_MARKS = _KeepTable(lambda ch: unicodedata.category(ch)[0] in "LNM")
_DIGITS_ONLY = _KeepTable(lambda ch: ch in "0123456789")


def compact_normal(normal):
    """`compact()` of text that is already `normalize()`d."""
    return normal.translate(_LETTERS_DIGITS_MARKS)


def digits_only(text):
    """The ASCII digits of `text`, whatever script they were written in."""
    return to_latin_digits(text or "").translate(_DIGITS_ONLY)


_PHONE_LIKE = re.compile(r"\+?[\d\s\-().\u2010-\u2015/]+")


# The signed-in user's country (set per request by UserPreferencesMiddleware, like the
# calendar); None outside a request, where settings.PHONE_REGION (the company's) applies.
_region = contextvars.ContextVar("mitra_phone_region", default=None)


def activate_region(region=None):
    """Make `region` the country assumed for phones without a country code (None: the
    company's, settings.PHONE_REGION)."""
    _region.set((region or "").upper() or None)


def default_region():
    """The country assumed for phone numbers written without a country code: the current
    user's, else the company's (settings.PHONE_REGION)."""
    from django.conf import settings

    return _region.get() or getattr(settings, "PHONE_REGION", "TH")


def user_region(user=None):
    """The country assumed for numbers a user types without a country code: the user's
    own (a `phone_region` or `country` preference, where the user model has one), else
    the company's (`default_region()`)."""
    for attr in ("phone_region", "country"):
        value = getattr(user, attr, "") if user is not None else ""
        if isinstance(value, str) and value.upper() in phonenumbers.SUPPORTED_REGIONS:
            return value.upper()
    return default_region()


def phone_regions():
    """Countries tried, in order, when a caller ID arrives without a country code."""
    from django.conf import settings

    regions = [default_region(), *getattr(settings, "PHONE_REGIONS", ("TH", "IR"))]
    return list(dict.fromkeys(r.upper() for r in regions if r))


# Marks that right-to-left editors put around a number (LRM, RLM, embeddings, isolates).
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def phone_text(raw):
    """A phone as typed, in the form parsing reads and the form it is stored in:
    compatibility forms folded (NFKC), digits of any script made Latin ("۰۹۱۲" and
    "٠٩١٢" are "0912"), direction marks and surrounding spaces dropped."""
    text = str(raw or "")
    if text.isascii():
        return text.strip()
    text = to_latin_digits(unicodedata.normalize("NFKC", text))
    return _BIDI_MARKS.sub("", text).strip()


def _parse(text, region):
    simple = parse_simple(text, region)
    if simple is not None:
        return phonenumbers.PhoneNumber(country_code=simple[0], national_number=int(simple[1]))
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


# -- phonenumbers.parse for the shapes nearly every file holds ------------------------------

# "+66 81 234 5678", "081-234-5678", "(02) 123.4567": ASCII digits (at least three), an
# optional "+" before the first, and spaces, dots, hyphens and brackets between them.
_SIMPLE_PHONE = re.compile(r"\(?(\+?)[0-9][0-9 .()\-]*[0-9]")


def parse_simple(text, region):
    """`(country code, national significant number)` exactly as `phonenumbers.parse(text,
    region)` gives them, for `text` of the simple shape above; None when the text has
    another shape or parsing would take a rarer path (the caller then calls `parse`).

    Parsing a phone is a third of an import's parsing time, and most of that goes on steps
    whose outcome is known for this shape: finding where the number starts and ends, the
    viability and extension patterns (they need letters, "#", "~", "," or ";"), reading
    digits of any script one by one. The steps that depend on the digits run as in
    `parse`, through its own functions: the country code, the region's international
    prefix, the national prefix and the length checks. Every rarer case falls back: a
    number starting with the region's country code or its international prefix, a
    country code it does not know, a leading zero, a length out of range. A test compares
    the two on thousands of random numbers in many regions.
    """
    if len(text) > 250:
        return None
    match = _SIMPLE_PHONE.fullmatch(text)
    if match is None:
        return None
    digits = text.translate(_DIGITS_ONLY)
    if len(digits) < 3:
        return None
    pnu = phonenumbers.phonenumberutil
    upper = region.upper() if region else None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(upper) if region else None
    if match.group(1):  # "+": the country code comes first
        cc, nsn = pnu._extract_country_code(digits)
        if cc == 0:
            return None
        number_region = phonenumbers.region_code_for_country_code(cc)
        if metadata is None or number_region != upper:
            metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
                cc, number_region
            )
    else:
        if metadata is None or region not in pnu.SUPPORTED_REGIONS:
            return None  # parse needs a valid region (as written) for a number without "+"
        idd = metadata.international_prefix
        if idd is not None and re.match(idd, digits):  # (re keeps compiled patterns)
            return None
        cc = metadata.country_code
        if digits.startswith(str(cc)):
            return None
        nsn = digits
    if metadata is None or len(nsn) < pnu._MIN_LENGTH_FOR_NSN:
        return None
    _carrier, stripped, _ = pnu._maybe_strip_national_prefix_carrier_code(nsn, metadata)
    if pnu._test_number_length(stripped, metadata) not in (
        pnu.ValidationResult.TOO_SHORT,
        pnu.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
        pnu.ValidationResult.INVALID_LENGTH,
    ):
        nsn = stripped
    if not pnu._MIN_LENGTH_FOR_NSN <= len(nsn) <= pnu._MAX_LENGTH_FOR_NSN or nsn[0] == "0":
        return None
    return cc, nsn


def parse_phone(raw, region=None):
    """A `phonenumbers.PhoneNumber` for `raw` in any format or script, or None."""
    if not raw:
        return None
    text = phone_text(raw)
    region = (region or default_region()).upper()
    if text.startswith("+"):
        number = _parse(text, None)
        return number if number is not None and phonenumbers.is_possible_number(number) else None
    local = _parse(text, region)
    if not text.startswith("00"):
        return local if local is not None and phonenumbers.is_possible_number(local) else None
    # "00" is the international prefix in most countries, but not in all (Thailand dials
    # 001-009): read it both ways. Writing your own country's code after "00" is how
    # numbers are printed on cards, so that reading wins; otherwise a real number does.
    plus = _parse("+" + text[2:], None)
    readings = [n for n in (plus, local) if n is not None and phonenumbers.is_possible_number(n)]
    if plus in readings and plus.country_code == phonenumbers.country_code_for_region(region):
        return plus
    for number in readings:
        if phonenumbers.is_valid_number(number):
            return number
    return readings[0] if readings else None


def normalize_phone(raw, region=None):
    """E.164 for a phone number in any format or script, or '' when it is not one.

    `region` is the country assumed for numbers written without a country code (default:
    settings.PHONE_REGION, else Thailand).
    """
    number = parse_phone(raw, region)
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_search_digits(e164):
    """Digit strings under which a phone is found by any fragment of any way of writing it.

    "+66812345678" gives ["66812345678", "0812345678"]: international and national forms
    (the national significant number is inside both).
    """
    if not e164:
        return []
    forms = [digits_only(e164)]
    number = _parse(e164, None)
    if number is not None:
        national = digits_only(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        )
        if national and national not in forms[0]:
            forms.append(national)
    return forms


def phone_candidates(raw, regions=None):
    """Every E.164 number `raw` may stand for: as written, or local in one of `regions`.

    Caller-ID gets numbers from exchanges in many shapes (with or without the country
    code or the trunk 0); each reading is an indexed equality on the stored E.164.
    """
    text = phone_text(raw)
    digits = digits_only(text)
    if len(digits) < 3:
        return []
    found = []
    international = text.startswith("+") or text.startswith("00")
    for region in regions or phone_regions():
        e164 = normalize_phone(text, region)
        if e164:
            found.append(e164)
        if international:
            break
    if not international:
        # Digits that already start with a country code but lack the "+".
        number = _parse("+" + digits, None)
        if number is not None and phonenumbers.is_valid_number(number):
            found.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return list(dict.fromkeys(found))


def is_phone_like(text, min_digits=3):
    """Whether a search box entry is (a fragment of) a phone number: digits and separators."""
    text = phone_text(text)
    return bool(_PHONE_LIKE.fullmatch(text)) and len(digits_only(text)) >= min_digits
