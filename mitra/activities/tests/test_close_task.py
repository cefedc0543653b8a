import datetime as dt

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .. import actions
from ..models import Interaction, Task, TaskStep
from .factories import make_party, make_task


class CloseTaskTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(
            cls.owner, "Siam Pumps", team=cls.p.alpha, email="buyer@siampumps.example"
        )
        cls.task = make_task(
            cls.owner, cls.party, "Install the pump", assignee=cls.teammate, team=cls.p.alpha,
            priority=2, due_at=timezone.now() + dt.timedelta(days=2), status="in_progress",
        )  # fmt: skip
        TaskStep.objects.create(task=cls.task, title="Deliver", order=0, done=True)
        TaskStep.objects.create(task=cls.task, title="Connect", order=1)

    def url(self, task, name="task_close"):
        return reverse(f"activities:{name}", args=[task.public_id])

    def test_it_closes_a_task_that_succeeded(self):
        self.login(self.teammate)
        response = self.client.post(self.url(self.task), {"result": "ok", "note": "Running fine"})
        self.assertRedirects(response, self.url(self.task, "task_detail"))
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.result), ("done", "ok"))
        self.assertIsNotNone(self.task.closed_at)
        self.assertFalse(Task.objects.filter(rework_of=self.task).exists())

    def test_it_opens_a_rework_task_when_the_result_failed(self):
        self.login(self.teammate)
        response = self.client.post(
            self.url(self.task), {"result": "failed", "note": "Leaking valve"}
        )
        rework = Task.objects.get(rework_of=self.task)
        self.assertRedirects(response, self.url(rework, "task_detail"))
        self.assertEqual(rework.status, "not_started")
        self.assertEqual(rework.assignee, self.teammate)
        self.assertEqual(rework.team, self.p.alpha)
        self.assertEqual(rework.priority, 2)
        self.assertIn("Install the pump", rework.title)
        self.assertIn("Leaking valve", rework.description)
        self.assertEqual(list(rework.targets.values_list("party_id", flat=True)), [self.party.pk])
        self.assertEqual(
            [(s.title, s.done) for s in rework.steps.all()],
            [("Deliver", False), ("Connect", False)],
        )
        self.assertGreater(rework.due_at, timezone.now())
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.result), ("done", "failed"))

    def test_it_cancels_without_a_result(self):
        self.login(self.owner)
        self.client.post(self.url(self.task), {"cancel": "1"})
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.result), ("cancelled", ""))

    def test_it_refuses_to_close_twice(self):
        actions.close_task(self.task, acting_user=self.owner, result="ok")
        with self.assertRaises(ValidationError):
            actions.close_task(self.task, acting_user=self.owner, result="failed")
        self.assertFalse(Task.objects.filter(rework_of=self.task).exists())

    def test_it_emails_the_customer_when_asked_and_logs_the_email(self):
        self.task.notify_customer = True
        self.task.save()
        with self.captureOnCommitCallbacks(execute=True):
            actions.close_task(self.task, acting_user=self.owner, result="ok")
        from mitra.mail.models import OutboxMessage
        from mitra.mail.outbox import drain

        message = OutboxMessage.objects.get()
        self.assertEqual(message.to, "buyer@siampumps.example")
        self.assertEqual(message.party, self.party)
        self.assertIn("Install the pump", message.subject)
        if message.status != "sent":
            drain()
        self.assertEqual(len(mail.outbox), 1)
        # mitra.mail's sent hook logs an outgoing email interaction on the party, once.
        interaction = Interaction.objects.get(channel="email")
        self.assertEqual(
            list(interaction.targets.values_list("party_id", flat=True)), [self.party.pk]
        )
        message.refresh_from_db()
        actions.log_sent_email(message)
        self.assertEqual(Interaction.objects.filter(channel="email").count(), 1)

    def test_it_sends_nothing_when_not_asked(self):
        with self.captureOnCommitCallbacks(execute=True):
            actions.close_task(self.task, acting_user=self.owner, result="ok")
        from mitra.mail.models import OutboxMessage

        self.assertFalse(OutboxMessage.objects.exists())

    def test_it_is_a_404_for_an_outsider_and_a_403_for_read_only(self):
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.task), {"result": "ok"}).status_code, 404)
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.url(self.task), {"result": "ok"}).status_code, 403)
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, "in_progress")
