import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .factories import make_party, make_task

URL = reverse("activities:tasks")


class TaskListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        make_task(
            cls.owner, cls.party, "Soon", assignee=cls.teammate, due_at=now + dt.timedelta(days=1)
        )
        make_task(
            cls.owner, cls.party, "Later", assignee=cls.teammate, due_at=now + dt.timedelta(days=5)
        )
        make_task(cls.owner, None, "Undated", assignee=cls.teammate)
        make_task(cls.owner, None, "Finished", assignee=cls.teammate, status="done")
        make_task(cls.teammate, None, "Private of teammate", assignee=cls.teammate, is_private=True)
        make_task(cls.owner, None, "Owner's own", assignee=cls.owner)
        make_task(cls.outsider, None, "Beta task", assignee=cls.outsider)

    def titles(self, response):
        return [t.title for t in response.context["page"]]

    def test_it_lists_my_open_tasks_by_due_date(self):
        self.login(self.teammate)
        self.assertEqual(
            self.titles(self.client.get(URL)), ["Soon", "Later", "Undated", "Private of teammate"]
        )

    def test_it_lists_what_i_created_and_my_teams(self):
        self.login(self.owner)
        self.assertEqual(
            sorted(self.titles(self.client.get(URL, {"show": "created"}))),
            ["Later", "Owner's own", "Soon", "Undated"],
        )
        self.login(self.readonly)
        team = self.titles(self.client.get(URL, {"show": "team", "status": "all"}))
        self.assertIn("Finished", team)
        self.assertNotIn("Private of teammate", team)
        self.assertNotIn("Beta task", team)

    def test_it_filters_by_status(self):
        self.login(self.teammate)
        self.assertEqual(self.titles(self.client.get(URL, {"status": "done"})), ["Finished"])

    def test_an_assignee_sees_a_task_from_someone_whose_records_they_cannot_see(self):
        make_task(self.outsider, None, "Cross-team job", assignee=self.owner)
        self.login(self.owner)
        self.assertIn("Cross-team job", self.titles(self.client.get(URL)))

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.client.get(URL)
        with self.assertNumQueries(5) as ctx:
            self.client.get(URL)
        for i in range(10):
            make_task(self.owner, self.party, f"More {i}", assignee=self.teammate)
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(URL)

    def test_it_refuses_users_without_the_module(self):
        self.login(self.portal)
        self.assertEqual(self.client.get(URL).status_code, 403)
