"""Possible duplicates of a party about to be created (A14).

A simple exact-match version: the duplicates helper replaces this body with configurable
rules and fuzzy matching; the signature stays.
"""

from django.db.models import Q

from mitra.core.text import compact, normalize_phone


def find_duplicates(
    user, *, name="", phones=(), emails=(), national_id="", tax_id="", exclude_pk=None
):
    """Parties `user` may see that look like the one described: same compact name,
    phone (E.164), email, national ID or tax ID. At most 10, best first."""
    from .models import ContactPoint, Party

    cond = Q()
    if key := compact(name):
        cond |= Q(name_key=key)
    if national_id := (national_id or "").strip():
        cond |= Q(national_id=national_id)
    if tax_id := (tax_id or "").strip():
        cond |= Q(tax_id=tax_id)
    e164s = {e for e in (normalize_phone(p) for p in phones or ()) if e}
    mails = {m.strip().lower() for m in emails or () if m and m.strip()}
    contact = Q()
    if e164s:
        contact |= Q(e164__in=e164s)
    if mails:
        contact |= Q(kind=ContactPoint.Kind.EMAIL, value__in=mails)
    if contact:
        cond |= Q(pk__in=ContactPoint.objects.filter(contact).values("party_id"))
    if not cond:
        return []
    qs = Party.objects.visible_to(user).filter(cond)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("-priority", "search_name", "pk")[:10])
