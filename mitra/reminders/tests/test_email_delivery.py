from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.mail import outbox
from mitra.mail.models import OutboxMessage
from mitra.mail.testing import body_of, smtp_server, subject_of
from mitra.reminders import engine
from mitra.reminders.models import Reminder, ReminderPreference
from mitra.reminders.registry import Due

from .helpers import source


class ReminderEmailTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ReminderPreference.objects.create(user=cls.owner, delivery="email")
        cls.teammate.language, cls.teammate.calendar = "fa", "jalali"
        cls.teammate.save()
        ReminderPreference.objects.create(user=cls.teammate, delivery="email")
        ReminderPreference.objects.create(user=cls.readonly, delivery="screen")

    def items(self):
        now = timezone.now()
        return [
            Due(user.pk, "tasks", "1", now, "ส่งใบเสนอราคาให้ลูกค้า", "/tasks/1/")
            for user in (self.owner, self.teammate, self.readonly)
        ]

    def test_it_emails_a_reminder_once_even_when_delivery_runs_twice(self):
        with source("tasks", self.items()), smtp_server() as smtp:
            engine.collect(only=["tasks"])
            self.assertEqual(engine.deliver_emails(), 2)
            engine.collect(only=["tasks"])  # the worker restarted and ran again
            self.assertEqual(engine.deliver_emails(), 0)
            outbox.drain()
            outbox.drain()
        arrived = {m["To"]: m for m in smtp.messages}
        self.assertEqual(set(arrived), {"owner@example.com", "teammate@example.com"})
        self.assertEqual(len(smtp.messages), 2)
        english = arrived["owner@example.com"]
        self.assertEqual(subject_of(english), "1 reminder from Mitra CRM")
        self.assertIn("ส่งใบเสนอราคาให้ลูกค้า", body_of(english))
        self.assertIn("http://127.0.0.1:8000/tasks/1/", body_of(english))
        self.assertIn("ส่งใบเสนอราคาให้ลูกค้า", body_of(arrived["teammate@example.com"], "html"))
        self.assertIn('dir="rtl"', body_of(arrived["teammate@example.com"], "html"))
        self.assertEqual(Reminder.objects.filter(emailed_at__isnull=False).count(), 2)
        self.assertIsNone(Reminder.objects.get(user=self.readonly).emailed_at)

    def test_two_workers_racing_send_one_email(self):
        with source("tasks", self.items()):
            engine.collect(only=["tasks"])
        # Both workers found the owner's reminders unemailed; both try to claim them.
        first = engine.claim_for_email(self.owner.pk)
        second = engine.claim_for_email(self.owner.pk)
        self.assertEqual(len(first), 1)
        self.assertEqual(second, [])
        self.assertEqual(engine.email_user(self.owner.pk), 0)
        self.assertFalse(OutboxMessage.objects.exists())

    def test_a_worker_stopping_before_commit_leaves_the_reminder_to_email_again(self):
        with source("tasks", self.items()):
            engine.collect(only=["tasks"])

        def boom(**kwargs):
            raise RuntimeError("worker killed")

        from unittest import mock

        with mock.patch("mitra.mail.outbox.queue_email", boom), self.assertRaises(RuntimeError):
            engine.email_user(self.owner.pk)
        # Claim and email are one transaction: nothing is lost, nothing is half-done.
        self.assertIsNone(Reminder.objects.get(user=self.owner).emailed_at)
        self.assertEqual(engine.email_user(self.owner.pk), 1)

    def test_done_and_old_reminders_are_not_emailed(self):
        with source("tasks", self.items()):
            engine.collect(only=["tasks"])
        Reminder.objects.filter(user=self.owner).update(status="done")
        Reminder.objects.filter(user=self.teammate).update(
            created_at=timezone.now() - engine.EMAIL_WINDOW * 2
        )
        self.assertEqual(engine.deliver_emails(), 0)
