"""The text filter of the party list, the phone book and the API (`?q=`).

A simple version: substring match on the normalised name, the code and contact values.
The search helper replaces this body with the per-engine index (FTS5 trigram, pg_trgm,
MariaDB n-gram); the signature stays.
"""

from django.db.models import Q

from mitra.core.text import digits_only, normalize


def search_parties(queryset, q):
    """`queryset` narrowed to parties matching `q` (name, code, phone, email, IDs)."""
    q = (q or "").strip()
    if not q:
        return queryset
    from .models import Address, ContactPoint

    text = normalize(q)
    cond = Q(search_name__contains=text) | Q(code__iexact=q) | Q(code__istartswith=q)
    cond |= Q(national_id=q) | Q(tax_id=q)
    contact = Q(value__icontains=text)
    digits = digits_only(q)
    if len(digits) >= 3:
        contact |= Q(e164__contains=digits.lstrip("0") or digits)
    cond |= Q(pk__in=ContactPoint.objects.filter(contact).values("party_id"))
    cond |= Q(
        pk__in=Address.objects.filter(Q(city__icontains=q) | Q(line1__icontains=q)).values(
            "party_id"
        )
    )
    return queryset.filter(cond)
