from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from mitra import cli
from mitra.core.scheduler import PeriodicRun

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WorkerTest(TransactionTestCase):
    def test_mitra_worker_once_runs_the_periodic_tasks_once(self):
        with self.settings(TASKS=DB_TASKS):
            cli.cmd_worker(type("Opts", (), {"once": True})())
            cli.cmd_worker(type("Opts", (), {"once": True})())  # a second worker, same minute
        runs = dict(DBTaskResult.objects.values_list("task_path", "status"))
        self.assertEqual(
            runs,
            {
                "mitra.reminders.tasks.collect_reminders": "SUCCESSFUL",
                "mitra.mail.tasks.drain_outbox": "SUCCESSFUL",
                "mitra.core.tasks.prune_task_results": "SUCCESSFUL",
                "mitra.parties.tasks.refresh_ratings": "SUCCESSFUL",
                "mitra.core.tasks.clear_idempotency_keys": "SUCCESSFUL",
            },
        )
        self.assertEqual(DBTaskResult.objects.count(), 5)
        self.assertEqual(
            set(PeriodicRun.objects.values_list("name", flat=True)),
            {"reminders.collect", "mail.drain", "tasks.prune", "parties.ratings",
             "core.idempotency", "worker.heartbeat", "reminders.source.birthdays",
             "reminders.source.weddings", "reminders.source.foundings"},
        )  # fmt: skip
