from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Contact, Kind, RoleKind
from mitra.parties.tabs import register_tab, unregister_tab

from .factories import make_group, make_party


class PartyDetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(
            cls.p.owner, "Siam Tech Co", roles=[RoleKind.CUSTOMER, RoleKind.SUPPLIER],
            phone="02 123 4567", email="info@siamtech.example", city="Bangkok",
        )  # fmt: skip
        cls.party.groups.add(make_group("VIP"))
        cls.party.managers.add(cls.p.teammate)

    def url(self, party=None, **params):
        url = reverse("parties:detail", args=[(party or self.party).public_id])
        if params:
            url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return url

    def test_it_shows_the_overview(self):
        self.login(self.owner)
        r = self.client.get(self.url())
        self.assertContains(r, "Siam Tech Co")
        self.assertContains(r, "info@siamtech.example")
        self.assertContains(r, "02 123 4567")
        self.assertContains(r, "VIP")
        self.assertContains(r, "Bangkok")

    def test_it_renders_every_tab(self):
        self.login(self.owner)
        for tab in ("overview", "profile", "contacts", "relationships", "attachments", "history"):
            r = self.client.get(self.url(tab=tab))
            self.assertEqual(r.status_code, 200, tab)

    def test_it_returns_only_the_tab_to_htmx(self):
        self.login(self.owner)
        r = self.client.get(
            reverse("parties:tab", args=[self.party.public_id, "history"]),
            headers={"HX-Request": "true", "HX-Target": "tab-card"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "<html")

    def test_it_hides_the_party_from_outsiders(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.get(self.url(tab="history")).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("parties:edit", args=[self.party.public_id])).status_code, 404
        )

    def test_it_shows_a_managed_party_to_its_manager_in_another_team(self):
        self.party.managers.add(self.outsider)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_it_shows_the_team_but_not_the_portal_user(self):
        self.login(self.teammate)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.login(self.portal)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_lets_later_apps_add_tabs(self):
        register_tab(
            "quotes",
            "Quotations",
            lambda request, party: f"<p>quotes of {party.code}</p>",
            order=40,
        )
        register_tab(
            "secret",
            "Secret",
            lambda request, party: "secret",
            permission=lambda user, party: False,
        )
        try:
            self.login(self.owner)
            r = self.client.get(self.url())
            self.assertContains(r, "Quotations")
            self.assertNotContains(r, "Secret")
            r = self.client.get(self.url(tab="quotes"))
            self.assertContains(r, f"quotes of {self.party.code}")
            self.assertEqual(self.client.get(self.url(tab="secret")).status_code, 404)
        finally:
            unregister_tab("quotes")
            unregister_tab("secret")

    # Per request: session, user, OTP device and role (4), the session save (3), then the
    # page's own 6: party (with star and pending flags), roles, contact points, addresses,
    # groups, managers. The same however many rows hang off the party.
    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.owner)
        self.client.get(self.url())  # warm caches (content types, sessions)
        with self.assertNumQueries(8):
            self.client.get(self.url())
        for i in range(5):
            make_party(self.owner, f"Extra {i}", phone=f"02 555 000{i}")
        p2 = make_party(
            self.owner,
            "Busy Co",
            roles=list(RoleKind.values),
            phone="02 111 2222",
            email="a@b.example",
            city="Chiang Mai",
        )
        for i in range(3):
            p2.groups.add(make_group(f"G{i}"))
        with self.assertNumQueries(8):
            self.client.get(self.url(p2))

    def test_it_lists_contacts_of_an_organisation(self):
        person = make_party(self.owner, "Somchai Jaidee", kind=Kind.PERSON)
        Contact.objects.create(
            organisation=self.party, person=person, job_title="Buyer", is_primary=True
        )
        self.login(self.owner)
        r = self.client.get(self.url(tab="contacts"))
        self.assertContains(r, "Somchai Jaidee")
        self.assertContains(r, "Buyer")
        r = self.client.get(self.url(person, tab="contacts"))
        self.assertContains(r, "Siam Tech Co")
