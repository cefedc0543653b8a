from django.core.management import call_command
from django.test import TransactionTestCase
from django_tasks import TaskResultStatus

from mitra.core.tasks import heartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WorkerTest(TransactionTestCase):
    def test_a_worker_runs_a_queued_task(self):
        # The suite runs tasks immediately; this test uses the real database queue.
        with self.settings(TASKS=DB_TASKS):
            result = heartbeat.enqueue(note="hello")
            self.assertEqual(result.status, TaskResultStatus.READY)
            call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)
            result.refresh()
            self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
            self.assertEqual(result.return_value["note"], "hello")
