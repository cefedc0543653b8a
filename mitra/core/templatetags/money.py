"""Money in templates: `{% load money %}`.

{{ quote.total|money }}            the user's digits, the currency where the language
                                   puts it, isolated for right-to-left pages
{{ row.total_amount|money:row.total_currency }}   from the two columns (e.g. `.values()`)
{{ quote.total|amount_words }}     in words, in the active language
"""

from django import template
from django.utils.safestring import mark_safe

from mitra.core import money as core_money

register = template.Library()


def _as_money(value, currency):
    if value is None or value == "":
        return None
    if isinstance(value, core_money.Money):
        return value
    return core_money.Money(value, currency or core_money.DEFAULT_CURRENCY)


@register.filter
def money(value, currency=None):
    value = _as_money(value, currency)
    return "" if value is None else mark_safe(core_money.money_html(value))  # noqa: S308 - escaped inside


@register.filter
def amount_words(value, currency=None):
    value = _as_money(value, currency)
    return "" if value is None else core_money.amount_in_words(value)
