"""Countries a user can pick as their own (for phones typed without a country code).

Names come from phonenumbers' locale data in the active language (it has English and
Thai names); Persian names for the countries a Persian-speaking office deals with most
are kept here, others fall back to English.
"""

import phonenumbers
from django.utils.translation import get_language
from phonenumbers import geocoder

PERSIAN_NAMES = {
    "IR": "ایران", "AF": "افغانستان", "TJ": "تاجیکستان", "IQ": "عراق", "TR": "ترکیه",
    "AE": "امارات متحده عربی", "AM": "ارمنستان", "AZ": "جمهوری آذربایجان", "TM": "ترکمنستان",
    "PK": "پاکستان", "OM": "عمان", "QA": "قطر", "KW": "کویت", "SA": "عربستان سعودی",
    "TH": "تایلند", "CN": "چین", "IN": "هند", "RU": "روسیه", "DE": "آلمان", "FR": "فرانسه",
    "GB": "بریتانیا", "US": "ایالات متحده آمریکا", "CA": "کانادا", "AU": "استرالیا",
    "MY": "مالزی", "SG": "سنگاپور", "JP": "ژاپن", "KR": "کره جنوبی", "IT": "ایتالیا",
    "NL": "هلند", "SE": "سوئد", "AT": "اتریش", "CH": "سوئیس", "GE": "گرجستان",
}  # fmt: skip


def country_name(code, language=None):
    language = (language or get_language() or "en").split("-")[0]
    if language == "fa" and code in PERSIAN_NAMES:
        return PERSIAN_NAMES[code]
    name = geocoder._region_display_name(code, language)
    if not name or name.startswith("*"):  # no name in this language: English
        name = geocoder._region_display_name(code, "en")
    return name or code


def country_choices():
    """(code, name) for every country with a phone plan, by name in the active language."""
    choices = [(code, country_name(code)) for code in phonenumbers.SUPPORTED_REGIONS]
    return sorted((c for c in choices if c[0] != c[1]), key=lambda c: c[1].casefold())
