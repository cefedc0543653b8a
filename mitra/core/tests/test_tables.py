"""The list toolkit (core.tables): saved views, column choices kept in the database, bulk
confirm, filters, columns, export, and the per-persona query-count helper."""

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitra.core.models import ListPreference, SavedView
from mitra.core.policy import Action
from mitra.core.tables import (
    BooleanFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    FilterErrors,
    FilterSet,
    Sort,
    Table,
    TextFilter,
)
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_party
from mitra.users.lists import USERS
from mitra.users.models import User

LIST = reverse("parties:list")


class SavedViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_party(cls.p.owner, "Acme Co", roles=[RoleKind.CUSTOMER])
        cls.zen = make_party(cls.p.owner, "Zenith Ltd", roles=[RoleKind.SUPPLIER])

    def save(self, name="Customers", next_url=f"{LIST}?role=customer&sort=name&after=x", **extra):
        data = {"name": name, "next": next_url, "visibility": "private", **extra}
        return self.client.post(reverse("core_lists:views", args=["parties"]), data)

    def test_the_owner_saves_the_current_view_and_picks_it(self):
        self.login(self.owner)
        self.client.post(reverse("parties:list_columns"), {"cols": ["stage", "rating"]})
        r = self.save()
        view = SavedView.objects.get()
        self.assertEqual(
            (view.owner, view.list_key, view.query, view.sort, view.columns),
            (self.owner, "parties", "role=customer", "name", ["stage", "rating"]),
        )
        self.assertRedirects(
            r, f"{LIST}?role=customer&sort=name&view={view.public_id}",
            fetch_redirect_response=False,
        )  # fmt: skip
        # Back to the default columns; the view still shows its own.
        self.client.post(reverse("parties:list_columns"), {"reset": "1"})
        r = self.client.get(r["Location"])
        self.assertEqual([p.name for p in r.context["page"].object_list], ["Acme Co"])
        self.assertEqual(r.context["listing"].chosen, ["stage", "rating"])
        self.assertContains(r, "<bdi>Customers</bdi>")
        # The menu lists it (asked by htmx, so the list page costs no query for it).
        menu = self.client.get(
            reverse("core_lists:views", args=["parties"]), headers={"HX-Request": "true"}
        )
        self.assertContains(menu, f"view={view.public_id}")
        self.assertNotContains(menu, "<html")
        self.assertEqual(
            self.client.get(reverse("core_lists:view", args=[view.public_id])).status_code, 302
        )

    def test_a_private_view_is_its_owners_alone(self):
        self.login(self.owner)
        self.save()
        view = SavedView.objects.get()
        for persona in (self.teammate, self.outsider, self.readonly):
            self.login(persona)
            for name in ("core_lists:view", "core_lists:view_edit", "core_lists:view_delete"):
                self.assertEqual(
                    self.client.get(reverse(name, args=[view.public_id])).status_code, 404, name
                )
            self.assertEqual(self.client.get(LIST, {"view": view.public_id}).status_code, 404)
            menu = self.client.get(reverse("core_lists:views", args=["parties"]))
            self.assertNotContains(menu, str(view.public_id))
            r = self.client.post(reverse("core_lists:view_delete", args=[view.public_id]))
            self.assertEqual(r.status_code, 404)
        self.assertTrue(SavedView.objects.exists())
        self.assertEqual(self.client.get(LIST, {"view": "not-an-id"}).status_code, 404)

    def test_a_shared_view_is_seen_by_the_team_but_changed_by_its_owner_only(self):
        self.login(self.owner)
        self.save("Team customers", visibility="team", team=str(self.p.alpha.public_id))
        view = SavedView.objects.get()
        self.assertEqual(view.team, self.p.alpha)
        self.login(self.teammate)
        menu = self.client.get(reverse("core_lists:views", args=["parties"]))
        self.assertContains(menu, "Team customers")
        self.assertEqual(self.client.get(LIST, {"view": view.public_id}).status_code, 200)
        self.assertEqual(
            self.client.post(reverse("core_lists:view_delete", args=[view.public_id])).status_code,
            403,
        )
        self.login(self.outsider)  # team Beta
        self.assertEqual(
            self.client.get(reverse("core_lists:view", args=[view.public_id])).status_code, 404
        )
        # Sharing with a team one is not in is refused, and nothing is saved.
        r = self.save("Theirs", visibility="team", team=str(self.p.alpha.public_id))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(SavedView.objects.count(), 1)

    def test_rename_checks_the_version_and_delete_asks_first(self):
        self.login(self.owner)
        self.save()
        view = SavedView.objects.get()
        url = reverse("core_lists:view_edit", args=[view.public_id])
        r = self.client.post(
            url, {"name": "Buyers", "visibility": "private", "version": view.version}
        )
        self.assertRedirects(
            r, reverse("core_lists:views", args=["parties"]), fetch_redirect_response=False
        )
        view.refresh_from_db()
        self.assertEqual(view.name, "Buyers")
        r = self.client.post(url, {"name": "Stale", "visibility": "private", "version": 1})
        self.assertEqual(r.status_code, 200)
        view.refresh_from_db()
        self.assertEqual(view.name, "Buyers")
        r = self.client.post(url, {"name": "  ", "version": view.version})
        self.assertContains(r, "Give the view a name.")
        delete = reverse("core_lists:view_delete", args=[view.public_id])
        self.assertContains(self.client.get(delete), "Buyers")
        self.assertTrue(SavedView.objects.exists())
        self.client.post(delete)
        self.assertFalse(SavedView.objects.exists())

    def test_a_list_the_user_may_not_see_has_no_views(self):
        self.login(self.portal)
        self.assertEqual(
            self.client.get(reverse("core_lists:views", args=["parties"])).status_code, 403
        )
        self.assertEqual(
            self.client.get(reverse("core_lists:views", args=["nope"])).status_code, 404
        )


class ColumnPreferenceTests(BaseTestCase):
    def test_the_choice_is_kept_in_the_database_and_read_at_sign_in(self):
        make_party(self.p.owner, "Acme Co")
        self.login(self.owner)
        self.client.post(reverse("parties:list_columns"), {"cols": ["rating", "stage", "bogus"]})
        self.assertEqual(
            ListPreference.objects.get(user=self.owner, list_key="parties").columns,
            ["stage", "rating"],
        )
        self.client.logout()
        self.login(self.owner)  # a new session: the choice comes back from the database
        self.client.get(LIST)  # warm the filter-choice cache
        with self.assertNumQueries(4):
            r = self.client.get(LIST)
        self.assertEqual(r.context["listing"].chosen, ["stage", "rating"])
        self.client.post(reverse("parties:list_columns"), {"reset": "1"})
        self.assertFalse(ListPreference.objects.exists())

    def test_the_generic_columns_menu_serves_any_list(self):
        self.login(self.admin)
        r = self.client.post(reverse("core_lists:columns", args=["users"]), {"cols": []})
        self.assertRedirects(r, reverse("users:list"), fetch_redirect_response=False)
        r = self.client.get(reverse("users:list"))
        header = 'joined">Joined</a></th>'
        self.assertNotContains(r, header)
        self.client.post(reverse("core_lists:columns", args=["users"]), {"reset": "1"})
        self.assertContains(self.client.get(reverse("users:list")), header)
        self.login(self.owner)  # no right to the users list
        r = self.client.post(reverse("core_lists:columns", args=["users"]), {"cols": []})
        self.assertEqual(r.status_code, 403)


class QueryCountTests(BaseTestCase):
    def test_each_persona_reads_a_list_in_a_constant_number_of_queries(self):
        for i in range(5):
            make_party(self.p.owner, f"Party {i}", roles=[RoleKind.CUSTOMER])
        self.assertListQueries(
            LIST, {"owner": 4, "teammate": 4, "readonly": 4, "admin": 4, "portal": None}
        )
        self.assertListQueries(
            reverse("users:teams"),
            {"admin": 5, "owner": None, "teammate": None, "readonly": None},
        )


BULK = Table(
    "test-bulk",
    columns=[Column(_("Name"), "username")],
    bulk_actions=[BulkAction("purge", _("Purge"), Action.VIEW, confirm=_("Purge them all?"))],
    module="users",
)


class ToolkitUnitTests(BaseTestCase):
    def request(self, query="", method="get", data=None, user=None):
        factory = RequestFactory()
        request = (
            factory.post("/x/", data or {}) if method == "post" else factory.get(f"/x/?{query}")
        )
        request.user = user or self.admin
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    def test_the_screen_parses_leniently_and_the_api_strictly(self):
        filters = FilterSet(
            q=TextFilter("username__icontains", max_length=5),
            kind=ChoiceFilter("kind", choices=["a", "b"]),
            on=BooleanFilter("is_active"),
        )
        request = self.request("q=abcdefgh&kind=zzz&on=1&sort=name&other=1")
        self.assertEqual(filters.parse(request, strict=False), {"q": "abcde", "on": True})
        self.assertEqual(filters.applied({"on": True}), {"on": "1"})
        with self.assertRaises(FilterErrors) as caught:
            filters.parse(request)
        self.assertEqual(set(caught.exception.errors), {"q", "kind", "sort", "other"})

    def test_cells_escape_and_headers_toggle_the_sort(self):
        column = Column(_("Name"), "first_name", sort="name")
        user = User(first_name="<b>x</b>", username="u")
        self.assertEqual(column.cell(user), "&lt;b&gt;x&lt;/b&gt;")
        listing = USERS.bind(self.request("sort=name&after=abc&q=x"), User.objects.all())
        self.assertEqual(listing.header_url(USERS.column("name")), "?sort=-name&q=x")
        listing = USERS.bind(self.request("sort=-name"), User.objects.all())
        self.assertEqual(listing.header_url(USERS.column("name")), "?sort=name")
        self.assertEqual(listing.filter_query(), "sort=-name")

    def test_the_export_holds_the_filtered_rows_with_the_screens_columns(self):
        listing = USERS.bind(self.request("q=owner"), User.objects.all())
        response = listing.export("csv", "users")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        header, *rows = body.strip().splitlines()
        self.assertEqual(header, "Username,Name,Email,Role,Status,Joined")
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0].startswith("owner,"))

    def test_a_bulk_action_with_confirm_asks_first(self):
        ids = [str(self.owner.public_id)]
        request = self.request(method="post", data={"action": "purge", "ids": ids})
        action, got, response = BULK.read_bulk(request, back="/x/", choose="?", select="!")
        self.assertIsNone(action)
        self.assertContains(response, "Purge them all?")
        self.assertContains(response, 'name="confirmed" value="1"')
        request = self.request(
            method="post", data={"action": "purge", "ids": ids, "confirmed": "1"}
        )
        action, got, response = BULK.read_bulk(request, back="/x/", choose="?", select="!")
        self.assertEqual((action.key, got, response), ("purge", ids, None))
        request = self.request(method="post", data={"action": "purge", "ids": ["x"]})
        _a, _ids, response = BULK.read_bulk(request, back="/x/", choose="?", select="!")
        self.assertEqual(response.status_code, 302)
        request = self.request(method="post", data={"action": "other", "ids": ids})
        _a, _ids, response = BULK.read_bulk(request, back="/x/", choose="?", select="!")
        self.assertEqual(response.status_code, 302)

    def test_only_declared_sorts_are_offered(self):
        table = Table("test-sorts", columns=[], sorts=[Sort("name", "Name", ["username", "id"])])
        listing = table.bind(self.request("sort=password"), User.objects.all())
        self.assertEqual(listing.sort, "name")
        self.assertEqual(listing.ordering, ["username", "id"])
