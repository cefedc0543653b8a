import datetime as dt
from unittest import mock

from mitra.core import scheduler
from mitra.core.scheduler import PeriodicRun
from mitra.core.testing import BaseTestCase


def at(y, m, d, h=12):
    return dt.datetime(y, m, d, h, tzinfo=dt.UTC)


class SchedulerTest(BaseTestCase):
    def test_only_one_of_several_workers_runs_a_period(self):
        every = dt.timedelta(minutes=1)
        now = at(2025, 5, 1, 10)
        self.assertTrue(scheduler.claim("x", every, now, "worker-a"))
        self.assertFalse(scheduler.claim("x", every, now, "worker-b"))
        self.assertFalse(scheduler.claim("x", every, now + dt.timedelta(seconds=30), "worker-b"))
        self.assertTrue(scheduler.claim("x", every, now + dt.timedelta(seconds=61), "worker-b"))
        run = PeriodicRun.objects.get(name="x")
        self.assertEqual(run.last_worker, "worker-b")

    def test_two_workers_reading_the_same_row_enqueue_once(self):
        every = dt.timedelta(minutes=1)
        now = at(2025, 5, 1, 10)
        scheduler.claim("x", every, now)
        stale = PeriodicRun.objects.get(name="x")  # both workers read this row
        later = now + dt.timedelta(minutes=2)
        with mock.patch.object(PeriodicRun.objects, "get_or_create", return_value=(stale, False)):
            results = [scheduler.claim("x", every, later, w) for w in ("a", "b")]
        self.assertEqual(results, [True, False])

    def test_tick_enqueues_the_registered_tasks(self):
        task = mock.Mock()
        with mock.patch.dict(
            scheduler._periodic, {"t": (task, dt.timedelta(minutes=1), {})}, clear=True
        ):
            self.assertEqual(scheduler.tick(now=at(2025, 5, 1)), ["t"])
            self.assertEqual(scheduler.tick(now=at(2025, 5, 1)), [])
        task.enqueue.assert_called_once_with()

    def test_the_app_schedules_reminders_and_the_mail_drain(self):
        self.assertIn("reminders.collect", scheduler.periodic())
        self.assertIn("mail.drain", scheduler.periodic())

    def test_each_app_registers_its_own_jobs(self):
        for name, module in (
            ("reminders.collect", "mitra.reminders.tasks"),
            ("mail.drain", "mitra.mail.tasks"),
            ("tasks.prune", "mitra.core.tasks"),
            ("parties.ratings", "mitra.parties.tasks"),
            ("core.idempotency", "mitra.core.tasks"),
        ):
            self.assertTrue(scheduler.periodic()[name][0].module_path.startswith(module), name)

    def test_every_takes_seconds_or_a_timedelta(self):
        task = mock.Mock()
        with mock.patch.dict(scheduler._periodic, clear=True):
            scheduler.register("a", task, every=90)
            scheduler.register("b", task, every=dt.timedelta(hours=1), limit=5)
            self.assertEqual(scheduler.periodic()["a"][1], dt.timedelta(seconds=90))
            self.assertEqual(scheduler.periodic()["b"][1:], (dt.timedelta(hours=1), {"limit": 5}))

    def test_pruning_is_harmless_without_the_database_queue(self):
        from mitra.core.tasks import prune_task_results

        self.assertFalse(prune_task_results.call())  # the suite's immediate backend
