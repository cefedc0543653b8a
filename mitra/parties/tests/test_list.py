from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Kind, RatingLevel, RoleKind, Stage

from .factories import make_customer, make_group, make_party


class PartyListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner, city="Bangkok")
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
            ({"country": "ไทย", "city": "Bangkok"}, ["Acme Co"]),  # by name, any language
            ({"country": "تایلند", "city": "Bangkok"}, ["Acme Co"]),
            ({"country": "Iran", "city": "Bangkok"}, []),
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

    def test_the_country_filter_shows_the_name_in_the_users_language(self):
        self.login(self.teammate)
        r = self.client.get(reverse("parties:list"), {"country": "TH"})
        self.assertContains(r, 'name="country" value="Thailand"')

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
        # Every sort pages through every party exactly once.
        everyone = set(self.names(first)) | set(names)
        for sort in ("priority", "-name", "code", "-code", "updated"):
            seen, after = [], ""
            for _page in range(3):
                response = self.get(sort=sort, after=after)
                seen += self.names(response)
                after = response.context["page"].next_cursor
                if not after:
                    break
            self.assertEqual(len(seen), len(everyone), sort)
            self.assertEqual(set(seen), everyone, sort)

    def test_it_renders_rows_alone_for_htmx(self):
        self.login(self.owner)
        r = self.client.get(
            reverse("parties:list"),
            {"q": "acme"},
            headers={"HX-Request": "true", "HX-Target": "rows"},
        )
        self.assertContains(r, "Acme Co")
        self.assertNotContains(r, "<html")

    def test_filters_offer_groups_and_managers_as_soon_as_they_exist(self):
        self.login(self.teammate)
        self.get()  # the filter choices are cached now
        make_group("Freshly imported")  # as an import creates it: no screen involved
        self.assertContains(self.get(), "Freshly imported")
        self.p.teammate.first_name = "Renamed"
        self.p.teammate.save()
        self.assertContains(self.get(), "Renamed")

    def test_export_and_import_links_follow_the_role(self):
        self.login(self.owner)
        r = self.get(role="customer")
        self.assertContains(r, reverse("parties:export") + "?role=customer")
        self.assertContains(r, reverse("parties:import"))
        self.login(self.readonly)
        r = self.get(role="customer")
        self.assertNotContains(r, reverse("parties:export"))
        self.assertNotContains(r, reverse("parties:import"))
        self.assertNotContains(r, reverse("parties:duplicates"))

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.get()  # warm the filter-choice cache
        # Session and user (with its role), the page's parties, and one query for their
        # roles, contact points and addresses.
        with self.assertNumQueries(4):
            self.get()
        for i in range(30):
            make_party(
                self.teammate,
                f"More {i}",
                roles=[RoleKind.CUSTOMER, RoleKind.PARTNER],
                phone=f"02 555 00{i:02d}",
                city="Bangkok",
            )
        # The role filter adds one capped count the first time (it picks IN or EXISTS, see
        # `having`); the choice is remembered, so the next page does without it.
        with self.assertNumQueries(5):
            r = self.get(role="customer", q="more")
        self.assertContains(r, "More 29")
        with self.assertNumQueries(4):
            self.get(role="customer", q="more")


class PartyListRowTests(BaseTestCase):
    """What each row shows: the primary phone, email and address, roles, rating, star."""

    def test_a_row_shows_the_primary_contact_details(self):
        from mitra.parties.models import Address, ContactPoint

        party = make_party(
            self.p.owner, "Siam <b>Parts</b>", roles=[RoleKind.SUPPLIER, RoleKind.CUSTOMER],
            priority=3,
        )  # fmt: skip
        # Secondary rows first, so the primary ones must win by flag, not by age.
        ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.PHONE, number="02 111 1111")
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.MOBILE, number="081 234 5678", is_primary=True
        )
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.EMAIL, value="old@siam.example"
        )
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.EMAIL, value="sales@siam.example", is_primary=True
        )
        Address.objects.create(party=party, city="Korat", country="TH")
        Address.objects.create(party=party, city="Khon Kaen", country="TH", is_primary=True)
        party.rating = RatingLevel.objects.create(name="Gold", colour="yellow")
        party.save()
        party.starred_by.add(self.p.owner)
        self.login(self.owner)
        # Every column, the rating too (not among the default ones).
        cols = ["roles", "stage", "phone", "email", "city", "rating"]
        self.client.post(reverse("parties:list_columns"), {"cols": cols})
        r = self.client.get(reverse("parties:list"))
        html = r.content.decode()
        self.assertIn("Siam &lt;b&gt;Parts&lt;/b&gt;", html)  # escaped, never markup
        self.assertNotIn("<b>Parts</b>", html)
        self.assertIn('href="tel:+66812345678"', html)
        self.assertNotIn("tel:+6621111111", html)
        self.assertIn('href="mailto:sales@siam.example"', html)
        self.assertNotIn("old@siam.example", html)
        self.assertIn("Khon Kaen", html)
        self.assertNotIn("Korat", html)
        # Roles in RoleKind's order, whatever order they were given in.
        self.assertLess(html.index(">Customer</span>"), html.index(">Supplier</span>"))
        self.assertIn('<span class="badge bg-yellow-lt">Gold</span>', html)
        self.assertIn('aria-pressed="true"', html)
        self.assertIn(reverse("parties:detail", args=[party.public_id]), html)
        self.assertIn(f'value="{party.public_id}" form="bulk-form"', html)
