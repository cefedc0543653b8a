from django.test import TestCase

from mitra.parties import demo
from mitra.parties.models import Address, ContactPoint, Group, Party, PartyRole
from mitra.users import demo as user_demo


class DemoTests(TestCase):
    def test_it_makes_realistic_parties_once(self):
        user_demo.load()
        self.assertEqual(demo.load(parties=120), 120)
        self.assertEqual(Party.objects.count(), 120)
        self.assertEqual(demo.load(parties=120), 0)  # safe to run again
        self.assertEqual(demo.load(parties=150), 30)  # tops up
        names = list(Party.objects.values_list("name", flat=True))
        text = "".join(names)
        self.assertTrue(any("\u0e00" <= ch <= "\u0e7f" for ch in text))  # Thai
        self.assertTrue(any(ch in "یک" for ch in text))  # Persian yeh / keheh
        self.assertFalse(any(ch in "يك" for ch in text))  # never Arabic yeh / kaf
        self.assertTrue(any(n.isascii() for n in names))  # English
        self.assertGreaterEqual(ContactPoint.objects.count(), 150)
        self.assertEqual(
            ContactPoint.objects.filter(kind__in=["phone", "mobile"], e164="").count(), 0
        )
        self.assertGreaterEqual(Address.objects.count(), 150)
        self.assertGreaterEqual(PartyRole.objects.count(), 150)
        self.assertTrue(Group.objects.filter(parent__isnull=False).exists())
        owners = set(Party.objects.values_list("owner__username", flat=True))
        self.assertTrue(owners <= {"somchai", "manager", "sara", "emma"})
        self.assertEqual(len(set(Party.objects.values_list("code", flat=True))), 150)

    def test_phones_match_the_normaliser(self):
        from mitra.core.text import normalize_phone

        user_demo.load()
        demo.load(parties=60)
        for cp in ContactPoint.objects.exclude(e164=""):
            self.assertEqual(normalize_phone(cp.value), cp.e164, cp.value)

    def test_demo_parties_are_found_by_search(self):
        from mitra.parties.search import search_parties

        user_demo.load()
        demo.load(parties=40)
        party = Party.objects.order_by("pk").first()
        phone = party.contact_points.exclude(e164="").first()
        self.assertIn(party, search_parties(Party.objects.all(), party.name))
        self.assertIn(party, search_parties(Party.objects.all(), phone.e164[-7:]))
