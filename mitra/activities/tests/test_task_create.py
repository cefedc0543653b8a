from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Task
from .factories import make_party, make_task


class TaskCreateAndStepsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def test_it_creates_a_task_with_steps_for_a_party(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("activities:task_create"),
            {"title": "Yearly check", "parties": self.party.code, "assignee": self.teammate.pk,
             "team": self.p.alpha.pk, "due_at_0": "2026-05-01", "due_at_1": "", "priority": "2",
             "status": "not_started", "steps": "Check filters\n\nReplace seals\n"},
        )  # fmt: skip
        task = Task.objects.get()
        self.assertRedirects(response, reverse("activities:task_detail", args=[task.public_id]))
        self.assertEqual([s.title for s in task.steps.all()], ["Check filters", "Replace seals"])
        self.assertEqual(task.due_at.hour, 17)  # no time given: the end of the working day
        self.assertEqual(task.team, self.p.alpha)

    def test_it_explains_a_missing_title_and_saves_nothing(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("activities:task_create"),
            {"title": "", "priority": "1", "status": "not_started"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Task.objects.exists())

    def test_it_ticks_adds_and_removes_steps_with_htmx(self):
        task = make_task(self.owner, None, "Check", assignee=self.owner)
        self.login(self.owner)
        add = reverse("activities:task_step_add", args=[task.public_id])
        response = self.client.post(add, {"title": "First"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="steps"')
        step = task.steps.get()
        toggle = reverse("activities:task_step_toggle", args=[task.public_id, step.pk])
        self.client.post(toggle, headers={"HX-Request": "true"})
        step.refresh_from_db()
        self.assertTrue(step.done)
        self.assertEqual(step.done_by, self.owner)
        self.client.post(reverse("activities:task_step_delete", args=[task.public_id, step.pk]))
        self.assertFalse(task.steps.exists())

    def test_it_does_not_reach_another_tasks_steps(self):
        mine = make_task(self.owner, None, "Mine", assignee=self.owner)
        theirs = make_task(self.outsider, None, "Theirs", assignee=self.outsider)
        step = theirs.steps.create(title="Secret step")
        self.login(self.owner)
        url = reverse("activities:task_step_toggle", args=[mine.public_id, step.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        url = reverse("activities:task_step_toggle", args=[theirs.public_id, step.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        step.refresh_from_db()
        self.assertFalse(step.done)
