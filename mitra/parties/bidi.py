"""Contact points and addresses as HTML that keeps its order on Persian (RTL) pages.

A phone number, an email, a web address or a Latin address set in a right-to-left line is
reordered by the browser's bidi algorithm ("+66 2 123 4567 ext. 12" comes out with its
groups swapped). Each such fragment is isolated in `<bdi>`: numbers, emails and URLs
always left to right (`dir="ltr"`), addresses and free text in their own direction (a
`<bdi>` without `dir` takes it from its first letter).

Functions return plain `str` of escaped HTML (the party list builds rows with f-strings);
the template filters in `templatetags/party_text.py` mark them safe.
"""

from html import escape as esc

from django.utils.translation import gettext as _

from mitra.core.countries import country_name


def ltr(text):
    return f'<bdi dir="ltr">{esc(str(text))}</bdi>' if text else ""


def auto(text):
    return f"<bdi>{esc(str(text))}</bdi>" if text else ""


def contact_html(point):
    """A contact point's value (with its extension) for the page; `point` is a
    ContactPoint or anything with kind, value, extension and is_phone."""
    if point.is_phone and point.extension and point.value:
        template = esc(_("%(number)s ext. %(extension)s"))
        return template % {"number": ltr(point.value), "extension": ltr(point.extension)}
    if point.kind == "other":
        return auto(point.value)
    return ltr(point.value)


def address_html(address):
    """An address on one line, the country by its name in the user's language."""
    parts = [
        address.line1,
        address.line2,
        address.district,
        address.city,
        address.province,
        address.postcode,
    ]
    line = ", ".join(p for p in parts if p)
    country = country_name(address.country) if address.country else ""
    if line and country:
        return f"<bdi>{esc(line)}, <bdi>{esc(country)}</bdi></bdi>"
    return auto(line or country)
