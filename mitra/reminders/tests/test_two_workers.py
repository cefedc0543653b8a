"""Two workers at once, for real: threads with their own database connections.

Runs on PostgreSQL and MariaDB (the SQLite test database lives in one connection's
memory, so threads cannot share it there).
"""

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase
from django.utils import timezone

from mitra.core.testing import create_personas
from mitra.mail import outbox
from mitra.mail.models import OutboxMessage
from mitra.mail.testing import smtp_server, subject_of
from mitra.reminders import engine
from mitra.reminders.models import Reminder, ReminderPreference
from mitra.reminders.registry import Due

from .helpers import source


def in_parallel(func, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        try:
            barrier.wait()
            func()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


@unittest.skipIf(connection.vendor == "sqlite", "needs a database server shared by threads")
class TwoWorkersTest(TransactionTestCase):
    def test_two_workers_deliver_each_reminder_and_email_once(self):
        people = create_personas()
        ReminderPreference.objects.create(user=people.owner, delivery="email")
        due = [Due(people.owner.pk, "tasks", str(i), timezone.now(), f"Task {i}") for i in range(3)]
        with source("tasks", due), smtp_server() as smtp:

            def worker():
                engine.collect(only=["tasks"])
                engine.deliver_emails()
                outbox.drain()

            in_parallel(worker, 3)
            outbox.drain()
        self.assertEqual(Reminder.objects.count(), 3)
        self.assertEqual(len(smtp.messages), 1, [subject_of(m) for m in smtp.messages])
        self.assertEqual(subject_of(smtp.messages[0]), "3 reminders from Mitra CRM")

    def test_two_drains_send_each_message_once(self):
        # Rows written directly: queue_email would have them sent at once by the suite's
        # immediate task backend.
        OutboxMessage.objects.bulk_create(
            OutboxMessage(to=f"p{i}@example.com", subject=f"n{i}", text="x") for i in range(20)
        )
        with smtp_server() as smtp:
            in_parallel(lambda: outbox.drain(limit=20), 2)
        self.assertEqual(
            sorted(subject_of(m) for m in smtp.messages), sorted(f"n{i}" for i in range(20))
        )
