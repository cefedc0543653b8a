"""Normalisation that search, duplicate checks and caller ID rely on."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from mitra.core.text import (
    compact,
    digits_only,
    is_phone_like,
    normalize,
    normalize_phone,
    phone_candidates,
    phone_search_digits,
)

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
THAI_CONSONANTS = "กขคฆงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
THAI_UPPER_VOWELS = "\u0e34\u0e35\u0e36\u0e37\u0e31"
THAI_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
LATIN_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ZWNJ = "\u200c"

persian_words = st.text(alphabet=PERSIAN_LETTERS, min_size=1, max_size=8)
persian_names = st.lists(persian_words, min_size=1, max_size=4).map(" ".join)
latin_names = st.lists(
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=8), min_size=1, max_size=4
).map(" ".join)
thai_syllables = st.tuples(
    st.sampled_from(THAI_CONSONANTS),
    st.sampled_from(["", *THAI_UPPER_VOWELS]),
    st.sampled_from(["", *THAI_TONES]),
)
thai_words = st.lists(thai_syllables, min_size=1, max_size=6)


def in_digits(number, script):
    return str(number).translate(str.maketrans(LATIN_DIGITS, script))


def arabic_typed(text):
    """What a user with an Arabic keyboard types for a Persian word."""
    return text.replace("ی", "ي").replace("ک", "ك")


@given(persian_names)
def test_it_reads_arabic_yeh_and_kaf_as_persian(name):
    assert normalize(arabic_typed(name)) == normalize(name)
    assert compact(arabic_typed(name)) == compact(name)


def test_it_folds_arabic_letters_to_the_persian_record():
    assert normalize("علي كريمي") == normalize("علی کریمی") == "علی کریمی"
    assert normalize("فاطمة") == normalize("فاطمه")


@given(persian_words, persian_words)
def test_it_ignores_zero_width_non_joiners(first, second):
    assert normalize(first + ZWNJ + second) == normalize(first + second)
    # Typed with a space instead of the joiner the words still share a compact key.
    assert compact(first + " " + second) == compact(first + ZWNJ + second)


@given(persian_names)
def test_it_ignores_kashida_and_harakat(name):
    decorated = name.replace("ب", "بـــ").replace("م", "مَ")
    assert normalize(decorated) == normalize(name)


@given(st.integers(min_value=0, max_value=10**15))
def test_it_reads_persian_arabic_and_thai_digits_as_latin(number):
    latin = str(number)
    for script in (PERSIAN_DIGITS, ARABIC_DIGITS, THAI_DIGITS):
        assert normalize(in_digits(number, script)) == latin
        assert digits_only(in_digits(number, script)) == latin


@given(st.text(alphabet=THAI_CONSONANTS + "\u0e33", min_size=1, max_size=10))
def test_it_folds_thai_sara_am_typed_as_two_characters(word):
    assert normalize(word.replace("\u0e33", "\u0e4d\u0e32")) == normalize(word)


@given(thai_words)
def test_it_accepts_thai_tone_marks_typed_before_the_vowel(syllables):
    vowel_first = "".join(c + v + t for c, v, t in syllables)
    tone_first = "".join(c + t + v for c, v, t in syllables)
    assert normalize(tone_first) == normalize(vowel_first)


def test_it_reads_sara_e_typed_twice_as_sara_ae():
    assert normalize("เเม่") == normalize("แม่")


@given(thai_words)
def test_it_keeps_thai_vowels_in_compact_keys(syllables):
    word = "".join(c + v + t for c, v, t in syllables)
    assert compact(word) == normalize(word).replace(" ", "")


def test_it_keeps_different_thai_names_apart():
    assert compact("สมชิต") != compact("สมชต")


@given(latin_names)
def test_it_ignores_case(name):
    assert normalize(name.upper()) == normalize(name.lower()) == normalize(name).lower()


@given(st.lists(st.text(alphabet=string.ascii_letters + PERSIAN_LETTERS, min_size=1), min_size=1))
def test_it_collapses_spacing(words):
    spaced = "  \t".join(words) + " \u00a0"
    assert normalize(spaced) == normalize(" ".join(words))
    assert "  " not in normalize(spaced)


def test_it_strips_latin_accents_but_not_thai_vowels():
    assert normalize("José Müller") == "jose muller"
    assert normalize("สมศรี") == "สมศรี"


@given(st.text())
@settings(max_examples=300)
def test_it_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
    assert compact(compact(text)) == compact(text)


# -- phones ---------------------------------------------------------------------------

thai_mobiles = st.tuples(st.sampled_from("689"), st.integers(0, 10**8 - 1)).map(
    lambda t: f"{t[0]}{t[1]:08d}"
)  # national significant number, e.g. 812345678


def thai_formats(nsn):
    yield f"0{nsn}"
    yield f"0{nsn[:2]}-{nsn[2:5]}-{nsn[5:]}"
    yield f"0{nsn[:2]} {nsn[2:5]} {nsn[5:]}"
    yield f"(0{nsn[:2]}) {nsn[2:5]} {nsn[5:]}"
    yield f"+66{nsn}"
    yield f"+66 {nsn[:2]} {nsn[2:5]} {nsn[5:]}"
    yield f"+66 (0){nsn[:2]} {nsn[2:5]} {nsn[5:]}"
    yield f"0066{nsn}"
    yield f"0{nsn[:2]}.{nsn[2:5]}.{nsn[5:]}"


@given(thai_mobiles)
def test_it_turns_thai_mobiles_in_any_format_and_script_into_e164(nsn):
    expected = f"+66{nsn}"
    for shape in thai_formats(nsn):
        for script in (LATIN_DIGITS, THAI_DIGITS, PERSIAN_DIGITS, ARABIC_DIGITS):
            written = shape.translate(str.maketrans(LATIN_DIGITS, script))
            assert normalize_phone(written, "TH") == expected, written


@given(st.integers(0, 10**7 - 1), st.sampled_from(["912", "935", "901", "990"]))
def test_it_turns_iranian_mobiles_into_e164(rest, prefix):
    nsn = f"{prefix}{rest:07d}"
    expected = f"+98{nsn}"
    for written in (f"0{nsn}", f"+98 {nsn[:3]} {nsn[3:6]} {nsn[6:]}", f"0098{nsn}"):
        assert normalize_phone(written, "IR") == expected
        assert normalize_phone(in_digits(written, PERSIAN_DIGITS), "IR") == expected


def test_it_keeps_international_numbers_whatever_the_region():
    assert normalize_phone("+1 (650) 253-0000", "TH") == "+16502530000"
    assert normalize_phone("+98 912 123 4567", "TH") == "+989121234567"
    # Thailand dials abroad with 001, not 00.
    assert normalize_phone("001 98 912 123 4567", "TH") == "+989121234567"


def test_it_drops_extensions_and_rejects_non_numbers():
    assert normalize_phone("02 123 4567 ext. 12", "TH") == "+6621234567"
    assert normalize_phone("hello", "TH") == ""
    assert normalize_phone("12", "TH") == ""
    assert normalize_phone("", "TH") == ""
    assert normalize_phone(None) == ""


def test_it_indexes_international_and_national_digits():
    assert phone_search_digits("+66812345678") == ["66812345678", "0812345678"]
    assert phone_search_digits("+989121234567") == ["989121234567", "09121234567"]
    assert phone_search_digits("") == []


@given(thai_mobiles)
def test_it_offers_every_reading_of_a_caller_id(nsn):
    for written in (f"0{nsn}", nsn, f"66{nsn}", f"+66 {nsn}", in_digits(f"0{nsn}", THAI_DIGITS)):
        assert f"+66{nsn}" in phone_candidates(written, ["TH", "IR"])


def test_it_tells_phone_fragments_from_words():
    assert is_phone_like("081-234")
    assert is_phone_like("۰۹۱۲")
    assert is_phone_like("+66 81")
    assert not is_phone_like("12")
    assert not is_phone_like("abc 123")
    assert not is_phone_like("สมชาย")


# -- the short cut through phonenumbers.parse --------------------------------------------------

_SHORTCUT_REGIONS = ["TH", "IR", "GB", "US", "DE", "IT", "FR", "JP", "CN", "IN", "AU", "BR", "RU",
                     "AE", "SG", "MY", "AR", "MX", "KR", "th", "XX", None]  # fmt: skip


def _random_phone_texts(rnd, count):
    import phonenumbers

    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE) + [0, 42, 999, 800, 888]
    for _ in range(count):
        region = rnd.choice(_SHORTCUT_REGIONS)
        rest = "".join(rnd.choice(string.digits) for _ in range(rnd.randint(0, 14)))
        own = phonenumbers.country_code_for_region(region.upper()) if region else 0
        digits = rnd.choice([
            f"{rnd.choice(codes)}{rest}", f"0{rest}", f"00{rest}", f"{own}{rest}", f"{own}0{rest}",
            rest, f"{rnd.choice(['00', '011', '001', '0011', '810', '010'])}{rnd.choice(codes)}{rest}",
            f"{rnd.randint(1, 9)}{rest}",
        ])  # fmt: skip
        plus = rnd.random() < 0.4
        text = []
        for i, ch in enumerate(digits):
            if i and rnd.random() < 0.3:
                text.append(rnd.choice([" ", "-", ".", "(", ")", ") ", " (", "  "]))
            text.append(ch)
        text = ("+" if plus else "") + "".join(text)
        if rnd.random() < 0.1:
            text = "(" + text
        if rnd.random() < 0.05:
            text += rnd.choice([" ext 12", "#", "/x2", ",,3", ")", " ", "a"])
        yield text, region


def test_the_phone_shortcut_gives_what_phonenumbers_parse_gives():
    """`parse_simple` against `phonenumbers.parse` on 40,000 random numbers in many regions
    and shapes: whenever it answers, it answers exactly as parse does, down to the
    PhoneNumber object; and it does answer for the shapes files are full of."""
    import random

    import phonenumbers

    from mitra.core.text import parse_simple

    answered = 0
    for text, region in _random_phone_texts(random.Random(11), 40_000):
        simple = parse_simple(text, region)
        try:
            reference = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            reference = None
        if simple is None:
            continue
        answered += 1
        assert reference is not None, (text, region, simple)
        cc, nsn = simple
        assert phonenumbers.PhoneNumber(country_code=cc, national_number=int(nsn)) == reference, (
            text, region, simple, reference,
        )  # fmt: skip
        assert nsn == phonenumbers.national_significant_number(reference)
    assert answered > 12_000  # a real share of the cases, not a path never taken
    for text, region in [("081-234-5678", "TH"), ("+98 912 123 4567", None), ("021-88776655", "IR"),
                         ("(02) 123 4567", "TH"), ("+44 20 7946 0958", "TH"), ("0912.123.4567", "IR")]:  # fmt: skip
        assert parse_simple(text, region) is not None, text
