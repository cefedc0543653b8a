"""Every list: a capped total, pages forward and back, and an empty state that helps."""

from unittest import mock

from django.urls import reverse

from mitra.core.tables.paging import COUNT_CAP
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Party, next_codes
from mitra.parties.tests.factories import make_party


class KeysetListTests(BaseTestCase):
    """The party list (keyset pages): total, next, previous, first."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.names = [f"Party {i:02d}" for i in range(7)]
        for name in cls.names:
            make_party(cls.p.owner, name)
        make_party(cls.p.outsider, "Beta's own")

    def get(self, **params):
        return self.client.get(reverse("parties:list"), {"sort": "name", **params})

    def names_on(self, response):
        return [p.name for p in response.context["page"].object_list]

    def total(self, **params):
        """The footer asks for the total once the page is shown (the page stays 50 rows)."""
        r = self.get(list_total="1", **params)
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    @mock.patch("mitra.parties.views.listing.PER_PAGE", 3)
    def test_it_pages_forward_and_back_with_a_total(self):
        self.login(self.owner)
        first = self.get()
        self.assertEqual(self.names_on(first), self.names[:3])
        self.assertContains(first, "list_total=1")  # the footer's request for the total
        self.assertIn("<bdi>7</bdi> records", self.total())
        self.assertNotContains(first, 'rel="prev"')
        second = self.get(after=first.context["page"].next_cursor)
        self.assertEqual(self.names_on(second), self.names[3:6])
        self.assertContains(second, 'rel="prev"')
        third = self.get(after=second.context["page"].next_cursor)
        self.assertEqual(self.names_on(third), self.names[6:])
        self.assertFalse(third.context["page"].has_next)
        # Back from the last page, then back again to the first.
        back = self.get(before=third.context["page"].prev_cursor)
        self.assertEqual(self.names_on(back), self.names[3:6])
        self.assertTrue(back.context["page"].has_next)
        start = self.get(before=back.context["page"].prev_cursor)
        self.assertEqual(self.names_on(start), self.names[:3])
        self.assertTrue(start.context["page"].is_first)
        self.assertNotContains(start, 'rel="prev"')
        # And forward again from a page reached backwards.
        again = self.get(after=start.context["page"].next_cursor)
        self.assertEqual(self.names_on(again), self.names[3:6])

    @mock.patch("mitra.parties.views.listing.PER_PAGE", 3)
    def test_the_total_follows_the_filters_and_the_policy(self):
        self.login(self.owner)
        self.assertIn("<bdi>7</bdi> records", self.total(q="Party 0"))
        found = self.get(q="Party 05")
        shown = len(found.context["page"].object_list)
        self.assertLess(shown, 3)
        self.assertIn(f"<bdi>{shown}</bdi> record", self.total(q="Party 05"))
        self.login(self.outsider)
        self.assertIn("<bdi>1</bdi> record<", self.total())

    def test_the_total_costs_the_page_no_query(self):
        self.login(self.owner)
        self.get()
        # Session, user (with its role), the page's parties, their details: as before.
        with self.assertNumQueries(4):
            self.get()
        # The total on its own: session, user, one capped count.
        with self.assertNumQueries(3):
            self.total()

    def test_a_tampered_cursor_gives_the_first_page(self):
        self.login(self.owner)
        r = self.get(before="not-a-cursor")
        self.assertEqual(self.names_on(r), self.names)

    def test_past_the_cap_the_total_says_1000_plus(self):
        codes = next_codes(COUNT_CAP + 1)
        Party.objects.bulk_create(
            Party(owner=self.owner, kind="organisation", name=f"Bulk {i}", code=codes[i])
            for i in range(COUNT_CAP + 1)
        )
        self.login(self.owner)
        self.assertIn("<bdi>1,000+</bdi> records", self.total())


class InteractionKeysetTests(BaseTestCase):
    """The interaction list: keyset pages with the capped total in the page's own query."""

    def make(self, n, owner):
        import datetime as dt

        from django.utils import timezone

        from mitra.activities.models import Interaction

        start = timezone.now() - dt.timedelta(days=1)
        Interaction.objects.bulk_create(
            Interaction(
                owner=owner, user=owner, subject=f"Call {i:04d}",
                occurred_at=start + dt.timedelta(minutes=i),
            )
            for i in range(n)
        )  # fmt: skip

    def test_forward_back_and_total(self):
        self.make(5, self.owner)
        self.make(2, self.outsider)
        self.login(self.owner)
        url = reverse("activities:interactions")
        with mock.patch("mitra.activities.lists.INTERACTIONS.per_page", 2):
            first = self.client.get(url)
            self.assertContains(first, "<bdi>5</bdi> records")
            subjects = [i.subject for i in first.context["page"]]
            self.assertEqual(subjects, ["Call 0004", "Call 0003"])
            second = self.client.get(url, {"after": first.context["page"].next_cursor})
            self.assertEqual(
                [i.subject for i in second.context["page"]], ["Call 0002", "Call 0001"]
            )
            back = self.client.get(url, {"before": second.context["page"].prev_cursor})
            self.assertEqual([i.subject for i in back.context["page"]], subjects)
            self.assertTrue(back.context["page"].is_first)
            self.assertContains(back, "<bdi>5</bdi> records")

    def test_past_the_cap(self):
        self.make(COUNT_CAP + 5, self.owner)
        self.login(self.owner)
        r = self.client.get(reverse("activities:interactions"))
        self.assertContains(r, "<bdi>1,000+</bdi> records")
        self.assertEqual(r.context["page"].total, COUNT_CAP + 1)  # never counted further


class EmptyStateTests(BaseTestCase):
    def test_nothing_yet_offers_the_create_button(self):
        self.login(self.owner)
        r = self.client.get(reverse("parties:list"))
        self.assertContains(r, 'data-list-empty="empty"')
        self.assertContains(r, "No parties yet.")
        self.assertContains(r, reverse("parties:create") + "?kind=person")
        self.assertNotContains(r, "Clear filters")

    def test_a_reader_gets_no_create_button(self):
        self.login(self.readonly)
        r = self.client.get(reverse("activities:tasks"))
        self.assertContains(r, "No tasks yet.")
        self.assertNotContains(r, reverse("activities:task_create"))

    def test_filters_that_match_nothing_offer_to_clear_them(self):
        make_party(self.owner, "Acme Co")
        self.login(self.owner)
        r = self.client.get(reverse("parties:list"), {"q": "zzz", "kind": "person", "sort": "name"})
        self.assertContains(r, 'data-list-empty="filtered"')
        self.assertContains(r, "No parties match these filters.")
        # Clearing keeps the sort order and drops the filters.
        self.assertContains(r, f'href="{reverse("parties:list")}?sort=name"')

    def test_every_list_has_its_empty_state(self):
        self.login(self.admin)
        for name in (
            "activities:interactions",
            "activities:tasks",
            "activities:notes",
            "activities:appointments",
            "activities:followups",
            "activities:news",
            "parties:trash",
            "approvals:list",
            "reminders:list",
            "mail:list",
            "parties:duplicates",
            "parties:import",
            "parties:book",
        ):
            with self.subTest(name):
                r = self.client.get(reverse(name))
                self.assertContains(r, 'data-list-empty="empty"')
        for name in ("users:list", "users:teams"):
            with self.subTest(name):
                r = self.client.get(reverse(name), {"q": "nobody by this name"})
                self.assertContains(r, 'data-list-empty="filtered"')
                self.assertContains(r, f'href="{reverse(name)}"')  # clear the filters

    def test_a_tab_is_not_a_filter(self):
        self.login(self.admin)
        r = self.client.get(reverse("approvals:list"), {"show": "decided"})
        self.assertContains(r, 'data-list-empty="empty"')


class NumberedListTests(BaseTestCase):
    """Lists with a capped count (tasks, notes, users, …) share the same footer."""

    def test_the_task_list_shows_its_total_and_pages_back(self):
        from mitra.activities.models import Task

        for i in range(3):
            Task.objects.create(title=f"Call {i}", owner=self.owner, assignee=self.owner)
        self.login(self.owner)
        with mock.patch("mitra.activities.lists.TASKS.per_page", 2):
            r = self.client.get(reverse("activities:tasks"), {"page": 2})
        self.assertContains(r, "<bdi>3</bdi> records")
        self.assertContains(r, 'rel="prev"')


class PartyColumnsTests(BaseTestCase):
    """The party list's "Columns" menu: chosen per user, no extra queries."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from mitra.parties.models import RatingLevel

        cls.acme = make_party(cls.p.owner, "Acme Co", phone="02 123 4567", city="Korat")
        cls.acme.rating = RatingLevel.objects.create(name="Gold")
        cls.acme.save()

    def headers(self, response):
        import re

        thead = response.content.decode().split("<thead>")[1].split("</thead>")[0]
        return re.findall(r"<th>([^<]+)</th>", thead)

    def test_by_default_the_table_is_narrow(self):
        self.login(self.owner)
        r = self.client.get(reverse("parties:list"))
        self.assertEqual(self.headers(r), ["Roles", "Phone", "Email", "City"])
        self.assertNotContains(r, 'badge">Gold<')
        self.assertContains(r, "Korat")

    def test_the_user_chooses_the_columns_and_they_stay(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("parties:list_columns"),
            {"cols": ["rating", "stage", "bogus"], "next": reverse("parties:list") + "?sort=name"},
        )
        self.assertRedirects(
            r, reverse("parties:list") + "?sort=name", fetch_redirect_response=False
        )
        r = self.client.get(reverse("parties:list"))
        self.assertEqual(self.headers(r), ["Stage", "Rating"])
        self.assertContains(r, 'badge">Gold<')
        self.assertNotContains(r, "Korat")
        # Each row has as many cells as the header (checkbox, star, name + the chosen two).
        row = r.content.decode().split("<tbody>")[1].split("</tr>")[0]
        self.assertEqual(row.count("<td"), 5)
        # Back to the default.
        self.client.post(reverse("parties:list_columns"), {"reset": "1"})
        r = self.client.get(reverse("parties:list"))
        self.assertEqual(self.headers(r), ["Roles", "Phone", "Email", "City"])

    def test_choosing_columns_costs_no_query(self):
        self.login(self.owner)
        self.client.post(reverse("parties:list_columns"), {"cols": ["rating", "email"]})
        self.client.get(reverse("parties:list"))  # warm the filter-choice cache
        with self.assertNumQueries(4):
            self.client.get(reverse("parties:list"))

    def test_an_outside_next_url_is_not_followed(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("parties:list_columns"), {"cols": ["city"], "next": "https://evil.example/"}
        )
        self.assertRedirects(r, reverse("parties:list"), fetch_redirect_response=False)

    def test_the_menu_needs_a_sign_in_and_a_post(self):
        r = self.client.post(reverse("parties:list_columns"), {"cols": ["city"]})
        self.assertEqual(r.status_code, 302)
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("parties:list_columns")).status_code, 405)
