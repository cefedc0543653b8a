from django import template
from django.utils.safestring import mark_safe

from .. import bidi

register = template.Library()


@register.filter
def contact_html(point):
    """A phone (with extension), email or web address isolated for RTL pages."""
    return mark_safe(bidi.contact_html(point))


@register.filter
def address_html(address):
    """An address on one line in its own direction, the country by name."""
    return mark_safe(bidi.address_html(address))


@register.filter
def ltr(text):
    """Text that always reads left to right (codes, numbers), isolated from the line."""
    return mark_safe(bidi.ltr(text))


@register.filter
def bdi(text):
    """Text isolated from the line, in the direction of its first letter."""
    return mark_safe(bidi.auto(text))
