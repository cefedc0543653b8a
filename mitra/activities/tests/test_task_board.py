from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Task
from .factories import make_task

URL = reverse("activities:task_board")


class TaskBoardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.todo = make_task(cls.owner, None, "To do", assignee=cls.owner)
        cls.doing = make_task(cls.owner, None, "Doing", assignee=cls.owner, status="in_progress")

    def status_url(self, task):
        return reverse("activities:task_status", args=[task.public_id])

    def test_it_shows_columns_by_status(self):
        self.login(self.owner)
        response = self.client.get(URL)
        columns = {c["status"]: [t.title for t in c["tasks"]] for c in response.context["columns"]}
        self.assertEqual(columns["not_started"], ["To do"])
        self.assertEqual(columns["in_progress"], ["Doing"])
        self.assertContains(response, "Sortable.min.js")

    def test_it_moves_a_card_with_an_htmx_post(self):
        self.login(self.owner)
        response = self.client.post(
            self.status_url(self.todo), {"status": "waiting"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, f'id="task-{self.todo.public_id}"')
        self.assertNotContains(response, "<html")
        self.todo.refresh_from_db()
        self.assertEqual(self.todo.status, "waiting")

    def test_it_moves_a_card_with_the_plain_form(self):
        self.login(self.owner)
        response = self.client.post(
            self.status_url(self.todo), {"status": "in_progress", "next": URL}
        )
        self.assertRedirects(response, URL)
        self.todo.refresh_from_db()
        self.assertEqual(self.todo.status, "in_progress")
        self.assertIsNotNone(self.todo.started_at)

    def test_dropping_on_done_closes_the_task_as_a_success(self):
        self.login(self.owner)
        self.client.post(
            self.status_url(self.doing), {"status": "done"}, headers={"HX-Request": "true"}
        )
        self.doing.refresh_from_db()
        self.assertEqual((self.doing.status, self.doing.result), ("done", "ok"))
        self.assertIsNotNone(self.doing.closed_at)

    def test_it_refuses_an_unknown_status_and_changes_nothing(self):
        self.login(self.owner)
        response = self.client.post(
            self.status_url(self.todo), {"status": "lost"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Task.objects.get(pk=self.todo.pk).status, "not_started")

    def test_it_is_a_404_for_an_outsider(self):
        self.login(self.outsider)
        self.assertEqual(
            self.client.post(self.status_url(self.todo), {"status": "done"}).status_code, 404
        )
        self.assertEqual(Task.objects.get(pk=self.todo.pk).status, "not_started")

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.owner)
        self.client.get(URL)
        with self.assertNumQueries(4) as ctx:
            self.client.get(URL)
        for i in range(10):
            make_task(self.owner, None, f"Card {i}", assignee=self.owner)
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(URL)
