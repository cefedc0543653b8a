from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Kind, RatingLevel, RoleKind, Stage

from .factories import make_group, make_party


class PartyListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_party(
            cls.p.owner, "Acme Co", roles=[RoleKind.CUSTOMER], phone="02 123 4567", city="Bangkok"
        )
        cls.beta = make_party(
            cls.p.teammate, "Beta Trading", roles=[RoleKind.SUPPLIER], stage=Stage.CUSTOMER,
            email="sales@beta.example", city="Chiang Mai", priority=3,
        )  # fmt: skip
        cls.ali = make_party(
            cls.p.owner, "علی کریمی", kind=Kind.PERSON, roles=[RoleKind.LEAD], is_active=False
        )
        cls.hidden = make_party(cls.p.outsider, "Outsider Secret Ltd", roles=[RoleKind.CUSTOMER])
        root = make_group("Industry")
        cls.child = make_group("Automotive", root)
        cls.root = root
        cls.acme.groups.add(cls.child)
        cls.gold = RatingLevel.objects.create(name="Gold", colour="yellow")
        cls.beta.rating = cls.gold
        cls.beta.save()

    def get(self, **params):
        return self.client.get(reverse("parties:list"), params)

    def names(self, response):
        return [p.name for p in response.context["page"].object_list]

    def test_it_lists_only_what_the_user_may_see(self):
        self.login(self.teammate)
        names = self.names(self.get())
        self.assertIn("Acme Co", names)
        self.assertIn("Beta Trading", names)
        self.assertNotIn("Outsider Secret Ltd", names)
        self.login(self.owner)
        self.assertEqual(set(self.names(self.get())), {"Acme Co", "علی کریمی"})
        self.login(self.outsider)
        self.assertEqual(self.names(self.get()), ["Outsider Secret Ltd"])

    def test_it_refuses_users_without_the_module(self):
        self.login(self.portal)
        self.assertEqual(self.get().status_code, 403)

    def test_it_sorts_by_priority_first(self):
        self.login(self.teammate)
        self.assertEqual(self.names(self.get())[0], "Beta Trading")
        self.assertEqual(self.names(self.get(sort="name"))[:2], ["Acme Co", "Beta Trading"])
        self.assertEqual(self.names(self.get(sort="-name"))[0], "علی کریمی")

    def test_it_filters(self):
        self.login(self.teammate)
        cases = [
            ({"role": "supplier"}, ["Beta Trading"]),
            ({"stage": "customer"}, ["Beta Trading"]),
            ({"kind": "person"}, ["علی کریمی"]),
            ({"active": "0"}, ["علی کریمی"]),
            ({"group": self.root.public_id}, ["Acme Co"]),
            ({"group": self.root.public_id, "subgroups": "0"}, []),
            ({"rating": self.gold.public_id}, ["Beta Trading"]),
            ({"city": "chiang mai"}, ["Beta Trading"]),
            ({"country": "th", "city": "Bangkok"}, ["Acme Co"]),
            ({"q": "acme"}, ["Acme Co"]),
            ({"q": "علي"}, ["علی کریمی"]),  # typed with an Arabic yeh
            ({"q": "1234567"}, ["Acme Co"]),
            ({"q": "sales@beta"}, ["Beta Trading"]),
            ({"role": "nonsense"}, ["Beta Trading", "Acme Co", "علی کریمی"]),
            ({"group": "not-a-uuid"}, ["Beta Trading", "Acme Co", "علی کریمی"]),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(sorted(self.names(self.get(**params))), sorted(expected))

    def test_it_filters_by_manager_and_star(self):
        self.acme.managers.add(self.teammate)
        self.beta.starred_by.add(self.teammate)
        self.login(self.teammate)
        self.assertEqual(self.names(self.get(manager=self.teammate.public_id)), ["Acme Co"])
        self.assertEqual(self.names(self.get(starred="1")), ["Beta Trading"])

    def test_it_pages_by_keyset(self):
        for i in range(60):
            make_party(self.owner, f"Bulk {i:02d}")
        self.login(self.owner)
        first = self.get(sort="name")
        page = first.context["page"]
        self.assertEqual(len(page.object_list), 50)
        self.assertTrue(page.has_next)
        second = self.get(sort="name", after=page.next_cursor)
        names = self.names(second)
        self.assertEqual(len(names), 12)
        self.assertFalse(set(names) & set(self.names(first)))
        self.assertFalse(second.context["page"].has_next)
        # A tampered cursor is the first page, not an error.
        self.assertEqual(self.get(sort="name", after="!!garbage").status_code, 200)

    def test_it_renders_rows_alone_for_htmx(self):
        self.login(self.owner)
        r = self.client.get(
            reverse("parties:list"),
            {"q": "acme"},
            headers={"HX-Request": "true", "HX-Target": "rows"},
        )
        self.assertContains(r, "Acme Co")
        self.assertNotContains(r, "<html")

    def test_it_links_to_export_only_when_it_exists(self):
        self.login(self.owner)
        r = self.get(role="customer")
        from mitra.parties.views import url_ready

        if url_ready("parties:export"):
            self.assertContains(r, "role=customer")
        else:
            self.assertNotContains(r, "file-export")

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.get()  # warm the filter-choice cache
        # 4 per request (session, user, OTP, role) + 3 to save the session + rows, roles,
        # contact points, addresses.
        with self.assertNumQueries(6):
            self.get()
        for i in range(30):
            make_party(
                self.teammate,
                f"More {i}",
                roles=[RoleKind.CUSTOMER, RoleKind.PARTNER],
                phone=f"02 555 00{i:02d}",
                city="Bangkok",
            )
        # The role filter adds one capped count (it picks IN or EXISTS, see `having`).
        with self.assertNumQueries(7):
            self.get(role="customer", q="more")
