from mitra.core.testing import BaseTestCase

from ..models import Task
from .factories import make_party, make_task

URL = "/api/v1/tasks/"


class TaskApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.task = make_task(cls.owner, cls.party, "Install", assignee=cls.teammate)
        cls.beta = make_task(cls.outsider, None, "Beta job")

    def test_it_lists_open_tasks_assigned_to_me(self):
        self.login(self.teammate)
        response = self.client.get(URL, {"assignee": "me", "status": "open"})
        self.assertEqual([t["title"] for t in response.json()["results"]], ["Install"])
        self.login(self.outsider)
        self.assertEqual([t["title"] for t in self.client.get(URL).json()["results"]], ["Beta job"])

    def test_it_creates_a_task_with_steps(self):
        self.login(self.owner)
        response = self.client.post(
            URL,
            {"title": "Check", "assignee": str(self.teammate.public_id), "team": str(self.p.alpha.public_id),
             "new_steps": ["One", "Two"], "parties": [str(self.party.public_id)]},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual([s["title"] for s in response.json()["steps"]], ["One", "Two"])
        self.assertEqual(Task.objects.get(title="Check").team, self.p.alpha)

    def test_closing_with_a_failure_opens_a_rework_task(self):
        self.login(self.teammate)
        response = self.client.post(f"{URL}{self.task.public_id}/close/", {"result": "failed", "note": "Leak"},
                                    content_type="application/json")  # fmt: skip
        self.assertEqual(response.status_code, 200, response.content)
        rework = Task.objects.get(rework_of=self.task)
        self.assertEqual(response.json()["rework"], str(rework.public_id))
        self.assertEqual(response.json()["status"], "done")

    def test_it_moves_a_task_and_refuses_an_unknown_status(self):
        self.login(self.owner)
        url = f"{URL}{self.task.public_id}/status/"
        self.assertEqual(
            self.client.post(url, {"status": "waiting"}, content_type="application/json").json()[
                "status"
            ],
            "waiting",
        )
        self.assertEqual(
            self.client.post(url, {"status": "lost"}, content_type="application/json").status_code,
            400,
        )

    def test_outsiders_and_read_only_users_cannot_close(self):
        self.login(self.outsider)
        self.assertEqual(
            self.client.post(f"{URL}{self.task.public_id}/close/", {}).status_code, 404
        )
        self.login(self.readonly)
        self.assertEqual(
            self.client.post(f"{URL}{self.task.public_id}/close/", {}).status_code, 403
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, "not_started")
