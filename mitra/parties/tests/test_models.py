from mitra.core.testing import BaseTestCase
from mitra.parties.models import Address, ContactPoint, Group, Kind, Party, PartyRole, RoleKind


class PartyModelTests(BaseTestCase):
    def test_it_assigns_codes_and_search_keys(self):
        a = Party.objects.create(
            kind=Kind.PERSON, first_name="علي", last_name="كريمي", owner=self.owner
        )
        b = Party.objects.create(kind=Kind.ORGANISATION, name="  ACME  Co. ", owner=self.owner)
        self.assertEqual(a.code, "P000001")
        self.assertEqual(b.code, "P000002")
        self.assertEqual(a.name, "علي كريمي")
        self.assertEqual(a.search_name, "علی کریمی")
        self.assertEqual(b.name_key, "acmeco")

    def test_it_skips_codes_typed_by_hand(self):
        Party.objects.create(
            name="Manual", code="P000001", kind=Kind.ORGANISATION, owner=self.owner
        )
        auto = Party.objects.create(name="Auto", kind=Kind.ORGANISATION, owner=self.owner)
        self.assertEqual(auto.code, "P000002")

    def test_it_normalises_phones(self):
        party = Party.objects.create(name="X", kind=Kind.ORGANISATION, owner=self.owner)
        cp = ContactPoint.objects.create(
            party=party,
            kind="phone",
            country_code="66",
            area_code="2",
            number="123 4567",
            extension="12",
        )
        self.assertEqual(cp.e164, "+6621234567")
        self.assertEqual(cp.value, "+66 2 123 4567")
        mobile = ContactPoint.objects.create(party=party, kind="mobile", value="۰۹۱۲ ۳۴۵ ۶۷۸۹")
        mobile.number = "+98 912 345 6789"
        mobile.save()
        self.assertEqual(mobile.e164, "+989123456789")
        email = ContactPoint.objects.create(party=party, kind="email", value="A@Example.COM")
        self.assertEqual(email.value, "a@example.com")

    def test_it_filters_groups_with_subgroups(self):
        root = Group.objects.create(name="Root")
        child = Group.objects.create(name="Child", parent=root)
        leaf = Group.objects.create(name="Leaf", parent=child)
        self.assertEqual(leaf.path, f"/{root.pk}/{child.pk}/{leaf.pk}/")
        self.assertEqual(leaf.depth, 2)
        party = Party.objects.create(name="In leaf", kind=Kind.ORGANISATION, owner=self.owner)
        party.groups.add(leaf)
        self.assertEqual(list(Party.objects.in_group(root)), [party])
        self.assertEqual(list(Party.objects.in_group(root, include_subgroups=False)), [])
        other = Group.objects.create(name="Other")
        child.parent = other
        child.save()
        leaf.refresh_from_db()
        self.assertEqual(leaf.path, f"/{other.pk}/{child.pk}/{leaf.pk}/")
        self.assertEqual(list(Party.objects.in_group(root)), [])

    def test_it_hides_trashed_and_shows_managed(self):
        mine = Party.objects.create(name="Mine", kind=Kind.ORGANISATION, owner=self.outsider)
        self.assertFalse(Party.objects.visible_to(self.owner).filter(pk=mine.pk).exists())
        mine.managers.add(self.owner)
        self.assertTrue(Party.objects.visible_to(self.owner).filter(pk=mine.pk).exists())
        PartyRole.objects.create(party=mine, role=RoleKind.CUSTOMER)
        self.assertEqual(list(Party.objects.with_role(RoleKind.CUSTOMER)), [mine])
        Address.objects.create(party=mine, country="th", city="Bangkok")
        self.assertEqual(list(Party.objects.in_place(country="TH", city="bangkok")), [mine])
        Party.objects.filter(pk=mine.pk).update(deleted_at="2026-01-01T00:00:00Z")
        self.assertFalse(Party.objects.filter(pk=mine.pk).exists())
        self.assertTrue(Party.all_objects.trashed().filter(pk=mine.pk).exists())
