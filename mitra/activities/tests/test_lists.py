"""The activity lists on the list toolkit (`activities/lists.py`): query counts per persona,
columns, the rows partial, exports, and the screen and the API giving the same rows."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import LookupKind, Task
from .factories import (
    make_followup,
    make_interaction,
    make_lookup,
    make_news,
    make_note,
    make_party,
    make_task,
)


class ActivityListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.beta_party = make_party(cls.outsider, "Tehran Trading", team=cls.p.beta)
        for i in range(3):
            make_interaction(cls.owner, cls.party, f"Call {i}", channel="phone")
            make_task(cls.owner, cls.party, f"Task {i}", assignee=cls.teammate)
        make_interaction(cls.owner, cls.party, "Visit", channel="visit")
        make_interaction(cls.outsider, cls.beta_party, "Beta visit", channel="visit")
        make_task(cls.owner, cls.party, "Finished", assignee=cls.owner, status="done")
        make_task(cls.outsider, cls.beta_party, "Beta task", assignee=cls.outsider, status="done")
        make_note(cls.owner, "Check the stock", recipients=[cls.teammate], party=cls.party)
        make_news(cls.owner, "Office closed")
        make_followup(cls.owner, cls.party)
        make_lookup(LookupKind.RESULT, "Ordered")

    def test_query_counts_per_persona(self):
        # An empty page skips the prefetches (the owner has no open task assigned, the
        # teammate is the only one who received a note; the outsider sees no follow-up).
        P = ("owner", "teammate", "readonly", "outsider", "admin")
        counts = {
            "activities:interactions": (6, 6, 6, 6, 6),
            "activities:tasks": (3, 5, 3, 3, 3),
            "activities:notes": (4, 6, 4, 4, 4),
            "activities:news": (4, 4, 4, 4, 4),
            "activities:followups": (6, 6, 6, 5, 6),
        }
        for name, numbers in counts.items():
            self.assertListQueries(
                reverse(name), {**dict(zip(P, numbers, strict=True)), "portal": None}
            )

    def test_the_codes_list_query_count(self):
        self.assertListQueries(
            reverse("activities:lookups"), {"admin": 4, "owner": None, "portal": None}
        )

    def test_screen_and_api_give_the_same_interactions(self):
        for params in ({"channel": "visit"}, {"party": str(self.party.public_id)}, {}):
            for user in (self.owner, self.outsider):
                with self.subTest(params=params, user=user.username):
                    self.login(user)
                    screen = self.client.get(reverse("activities:interactions"), params)
                    api = self.client.get("/api/v1/interactions/", params)
                    self.assertEqual(api.status_code, 200)
                    self.assertEqual(
                        [str(i.public_id) for i in screen.context["page"]],
                        [r["id"] for r in api.json()["results"]],
                    )

    def test_screen_and_api_give_the_same_tasks(self):
        # The screen's defaults (my open tasks) are spelled out: the API has none.
        for params in (
            {"show": "team", "status": "done"},
            {"show": "team", "status": "open", "party": str(self.party.public_id)},
            {"show": "team", "status": "all", "assignee": "me"},
        ):
            for user in (self.owner, self.teammate, self.outsider):
                with self.subTest(params=params, user=user.username):
                    self.login(user)
                    screen = self.client.get(reverse("activities:tasks"), params)
                    api = self.client.get("/api/v1/tasks/", params)
                    self.assertEqual(api.status_code, 200, api.content)
                    self.assertEqual(
                        sorted(str(t.public_id) for t in screen.context["page"]),
                        sorted(r["id"] for r in api.json()["results"]),
                    )

    def test_a_filter_the_api_cannot_read_is_a_400_and_the_screen_drops_it(self):
        self.login(self.owner)
        self.assertEqual(self.client.get("/api/v1/tasks/", {"status": "later"}).status_code, 400)
        self.assertEqual(
            self.client.get("/api/v1/interactions/", {"party": "Nobody"}).status_code, 400
        )
        response = self.client.get(reverse("activities:tasks"), {"status": "later"})
        self.assertEqual(response.status_code, 200)

    def test_the_columns_menu_hides_an_optional_column(self):
        self.login(self.owner)
        url = reverse("activities:interactions")
        self.assertContains(self.client.get(url), "Made by")
        self.client.post(
            reverse("core_lists:columns", args=["interactions"]),
            {"cols": ["channel"], "next": url},
        )
        response = self.client.get(url)
        self.assertNotContains(response, "<th>Made by</th>", html=False)
        self.assertContains(response, "data-columns-menu")

    def test_the_rows_partial_of_each_list(self):
        self.login(self.admin)
        for name in (
            "activities:interactions",
            "activities:tasks",
            "activities:notes",
            "activities:news",
            "activities:followups",
            "activities:lookups",
        ):
            with self.subTest(name):
                response = self.client.get(
                    reverse(name), headers={"HX-Request": "true", "HX-Target": "rows"}
                )
                self.assertContains(response, 'id="rows"')
                self.assertNotContains(response, "<html")  # fmt: skip

    def test_exports_hold_the_filtered_rows(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("activities:interaction_export", args=["csv"]), {"channel": "visit"}
        )
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("Visit", body)
        self.assertNotIn("Call 0", body)
        self.assertIn("Siam Pumps", body)
        response = self.client.get(
            reverse("activities:task_export", args=["xlsx"]), {"show": "team", "status": "all"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.client.get(reverse("activities:task_export", args=["pdf"])).status_code, 404
        )

    def test_a_reader_without_the_export_right_is_refused(self):
        self.login(self.portal)
        url = reverse("activities:interaction_export", args=["csv"])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_old_task_links_keep_working(self):
        self.login(self.owner)
        response = self.client.get(reverse("activities:tasks"), {"view": "created"})
        self.assertRedirects(response, reverse("activities:tasks") + "?show=created")
        self.assertEqual(Task.objects.count(), 5)  # a redirect, nothing written
