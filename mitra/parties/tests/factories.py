"""Plain factory functions for party tests."""

from mitra.parties.models import Address, ContactPoint, Group, Kind, Party, PartyRole, RoleKind


def make_party(
    owner, name="Acme Co", kind=Kind.ORGANISATION, roles=(), phone="", email="", city="", **fields
):
    if kind == Kind.PERSON and "first_name" not in fields:
        first, _sp, last = name.partition(" ")
        fields.update(first_name=first, last_name=last)
    party = Party(owner=owner, kind=kind, name=name, **fields)
    party.save()
    for role in roles:
        PartyRole.objects.create(party=party, role=role)
    if phone:
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.PHONE, number=phone, is_primary=True
        )
    if email:
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.EMAIL, value=email, is_primary=True
        )
    if city:
        Address.objects.create(
            party=party, city=city, country=fields.get("country", "TH"), is_primary=True
        )
    return party


def make_customer(owner, **fields):
    """The customer most party tests start from: "Acme Co" with the phone 02 123 4567."""
    return make_party(owner, "Acme Co", roles=[RoleKind.CUSTOMER], phone="02 123 4567", **fields)


def make_as_typed(
    owner, name, kind=Kind.PERSON, phones=(), emails=(), city="", team=None, **fields
):
    """A party with mobile numbers and e-mail addresses exactly as a user types them (the
    search, caller ID and duplicate finder tests read them back in other shapes)."""
    party = Party.objects.create(name=name, kind=kind, owner=owner, team=team, **fields)
    for phone in phones:
        ContactPoint.objects.create(party=party, kind="mobile", value=phone)
    for email in emails:
        ContactPoint.objects.create(party=party, kind="email", value=email)
    if city:
        Address.objects.create(party=party, line1="99 Moo 3", city=city, country="TH")
    return party


def make_group(name, parent=None):
    group = Group(name=name, parent=parent)
    group.save()
    return group
