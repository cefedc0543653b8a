"""The party list on the list toolkit: one filter declaration for the screen and the API."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.lists import PARTIES
from mitra.parties.models import Address, Kind, RatingLevel, RoleKind, Stage

from .factories import make_group, make_party


class SameRowsTests(BaseTestCase):
    """An API list and its screen give the same rows for the same filter."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        owner, teammate = cls.p.owner, cls.p.teammate
        cls.acme = make_party(owner, "Acme Co", roles=[RoleKind.CUSTOMER], city="Bangkok")
        cls.beta = make_party(
            teammate, "Beta Trading", roles=[RoleKind.SUPPLIER], stage=Stage.CUSTOMER,
            city="Chiang Mai", priority=3,
        )  # fmt: skip
        cls.ali = make_party(owner, "Ali Karimi", kind=Kind.PERSON, is_active=False)
        make_party(cls.p.outsider, "Outsider Secret Ltd", roles=[RoleKind.CUSTOMER])
        Address.objects.create(party=cls.ali, city="Tehran", country="IR")
        root = make_group("Industry")
        cls.child = make_group("Automotive", root)
        cls.root = root
        cls.acme.groups.add(cls.child)
        cls.beta.groups.add(root)
        cls.gold = RatingLevel.objects.create(name="Gold", colour="yellow")
        cls.beta.rating = cls.gold
        cls.beta.save()
        cls.acme.managers.add(teammate)
        cls.acme.starred_by.add(teammate)

    def ui(self, params):
        r = self.client.get(reverse("parties:list"), params)
        self.assertEqual(r.status_code, 200)
        return sorted(str(p.public_id) for p in r.context["page"].object_list)

    def api(self, params):
        r = self.client.get("/api/v1/parties/", params)
        self.assertEqual(r.status_code, 200, r.content)
        return sorted(row["id"] for row in r.json()["results"])

    def test_every_declared_filter_gives_the_same_rows_on_both(self):
        self.login(self.teammate)
        cases = [
            {},
            {"q": "acme"},
            {"kind": "person"},
            {"role": "supplier"},
            {"stage": "customer"},
            {"active": "0"},
            {"active": "1", "role": "customer"},
            {"starred": "1"},
            {"group": str(self.root.public_id)},
            {"group": str(self.root.public_id), "subgroups": "0"},
            {"rating": str(self.gold.public_id)},
            {"manager": str(self.p.teammate.public_id)},
            {"city": "bangkok"},
            {"country": "IR"},
            {"country": "Iran", "city": "Tehran"},
        ]
        for params in cases:
            with self.subTest(params=params):
                ui = self.ui(params)
                self.assertEqual(ui, self.api(params))
        # They filter: not every case is everything.
        self.assertEqual(self.ui({"starred": "1"}), [str(self.acme.public_id)])
        self.assertEqual(self.api({"country": "IR"}), [str(self.ali.public_id)])
        self.assertEqual(self.ui({"group": str(self.root.public_id), "subgroups": "0"}),
                         [str(self.beta.public_id)])  # fmt: skip

    def test_the_api_declares_the_screens_filters(self):
        from mitra.api.v1.parties import PartyViewSet

        self.assertIs(PartyViewSet.filterset, PARTIES.filters)

    def test_bad_values_are_a_400_on_the_api_and_ignored_on_the_screen(self):
        self.login(self.owner)
        self.assertEqual(self.client.get("/api/v1/parties/", {"kind": "robot"}).status_code, 400)
        self.assertEqual(self.client.get("/api/v1/parties/", {"colour": "red"}).status_code, 400)
        r = self.client.get(reverse("parties:list"), {"kind": "robot", "colour": "red"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.context["page"].object_list), 2)  # Acme Co, Ali Karimi


class ApiPagingTests(BaseTestCase):
    """The API's pages come from the same keyset paginator: next, previous, no COUNT."""

    def test_it_pages_forward_and_back(self):
        for i in range(5):
            make_party(self.p.owner, f"Party {i}")
        self.login(self.owner)
        names = lambda r: [row["name"] for row in r.json()["results"]]  # noqa: E731
        first = self.client.get("/api/v1/parties/", {"page_size": 2})
        self.assertIsNone(first.json()["previous"])
        with self.assertNumQueries(8):  # session, user, the page, its five prefetches
            second = self.client.get(first.json()["next"])
        third = self.client.get(second.json()["next"])
        self.assertIsNone(third.json()["next"])
        seen = names(first) + names(second) + names(third)
        self.assertEqual(sorted(seen), [f"Party {i}" for i in range(5)])
        back = self.client.get(third.json()["previous"])
        self.assertEqual(names(back), names(second))
        self.assertEqual(self.client.get("/api/v1/parties/", {"cursor": "a.!!"}).status_code, 400)
