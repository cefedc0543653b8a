"""The customer database's other lists on the list toolkit (`core.tables`): trash, groups,
rating levels and the phone book. Each: its query count per persona, its `#rows` partial,
its filter and its empty state."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties import actions
from mitra.parties.models import RatingLevel

from .factories import make_group, make_party

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "rows"}


class OtherListsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i in range(3):
            make_party(cls.p.owner, f"Acme {i}", city="Bangkok")
        cls.gone = make_party(cls.p.owner, "Gone Ltd")
        actions.trash_party(cls.gone, acting_user=cls.p.owner)
        make_party(cls.p.owner, "Gone Too")
        actions.trash_party(make_party(cls.p.owner, "Gone Too"), acting_user=cls.p.owner)
        root = make_group("Industry")
        make_group("Automotive", root)
        RatingLevel.objects.create(name="Gold", colour="yellow")
        RatingLevel.objects.create(name="Silver")

    def test_trash(self):
        url = reverse("parties:trash")
        self.assertListQueries(url, TRASH_COUNTS)
        self.login(self.owner)
        r = self.client.get(url, {"q": "Gone Ltd"}, **HTMX)
        self.assertContains(r, "Gone Ltd")
        self.assertNotContains(r, "Gone Too")
        self.assertNotContains(r, "<html")
        self.assertContains(self.client.get(url, {"q": "nothing"}), 'data-list-empty="filtered"')

    def test_groups(self):
        url = reverse("parties:groups")
        self.assertListQueries(url, GROUP_COUNTS)
        self.login(self.owner)
        r = self.client.get(url)
        self.assertLess(r.content.index(b"Industry"), r.content.index(b"Automotive"))
        r = self.client.get(url, {"q": "auto"}, **HTMX)
        self.assertContains(r, "Automotive")
        self.assertNotContains(r, "Industry")

    def test_the_api_filters_groups_as_the_screen_does(self):
        self.login(self.owner)
        for params in ({}, {"q": "auto"}):
            screen = self.client.get(reverse("parties:groups"), params)
            api = self.client.get("/api/v1/party-groups/", params)
            self.assertEqual(
                sorted(str(g.public_id) for g in screen.context["page"].object_list),
                sorted(row["id"] for row in api.json()["results"]),
            )
        self.assertEqual(self.client.get("/api/v1/party-groups/", {"nope": "1"}).status_code, 400)

    def test_rating_levels(self):
        url = reverse("parties:ratings")
        self.assertListQueries(url, RATING_COUNTS)
        self.login(self.owner)
        r = self.client.get(url, **HTMX)
        self.assertContains(r, "Gold")
        self.assertNotContains(r, "<html")

    def test_phone_book(self):
        url = reverse("parties:book")
        self.assertListQueries(url, BOOK_COUNTS)
        self.login(self.owner)
        r = self.client.get(url, {"q": "Acme 1"}, **HTMX)
        self.assertContains(r, "Acme 1")
        self.assertNotContains(r, "Acme 2")
        self.assertNotContains(r, "Gone")
        self.assertContains(self.client.get(url, {"q": "nothing"}), 'data-list-empty="filtered"')


# Session, user (with its role), the page (a capped count with it, or the rows), details.
TRASH_COUNTS = {"owner": 4, "teammate": 4, "readonly": None, "admin": 4, "portal": None}
GROUP_COUNTS = {"owner": 4, "readonly": 4, "admin": 4, "portal": None}
RATING_COUNTS = {"owner": 4, "readonly": 4, "admin": 4, "portal": None}
BOOK_COUNTS = {"owner": 6, "teammate": 6, "readonly": 6, "admin": 6, "portal": None}


class ImportJobsListTests(BaseTestCase):
    """ "Your recent imports" on the import page: a core.tables list of the user's jobs."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from mitra.core.imports.models import ImportJob
        from mitra.parties.importers import PartyImporter

        for name, status in (("a.csv", "done"), ("b.csv", "failed"), ("c.csv", "mapping")):
            for user in (cls.p.owner, cls.p.admin):
                ImportJob.objects.create(
                    importer=PartyImporter.path(), original_name=name, status=status, owner=user
                )

    def test_the_recent_imports(self):
        url = reverse("parties:import")
        self.assertListQueries(url, IMPORT_COUNTS)
        self.login(self.owner)
        r = self.client.get(url, {"status": "failed"}, **HTMX)
        self.assertContains(r, "b.csv")
        self.assertNotContains(r, "a.csv")
        self.assertNotContains(r, "<html")
        r = self.client.get(url, {"status": "cancelled"})
        self.assertContains(r, 'data-list-empty="filtered"')


# Session, user (with its role), the capped count, the page of jobs.
IMPORT_COUNTS = {"owner": 4, "admin": 4, "readonly": None, "portal": None}
