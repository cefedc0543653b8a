"""`mitra serve` runs the background worker and scheduler by itself (issue 9, part 5)."""

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from mitra.core import scheduler
from mitra.core.scheduler import PeriodicRun
from mitra.core.testing import BaseTestCase
from mitra.core.worker import Supervisor, embedded_enabled

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition, timeout, step=0.1):
    """Poll until `condition()` is true; a bound on waiting, not a timing assertion."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


class SupervisorTest(SimpleTestCase):
    def test_a_worker_that_dies_is_started_again_and_stop_ends_it(self):
        sup = Supervisor([sys.executable, "-c", "pass"], min_backoff=0.05, max_backoff=0.05)
        sup.start()
        try:
            self.assertTrue(wait_for(lambda: sup.starts >= 3, 30))
        finally:
            sup.stop()
        starts = sup.starts
        time.sleep(0.2)
        self.assertEqual(sup.starts, starts, "nothing is started after stop()")

    def test_stop_terminates_a_running_worker(self):
        sup = Supervisor([sys.executable, "-c", "import time; time.sleep(60)"]).start()
        self.assertTrue(wait_for(lambda: sup.proc is not None, 10))
        proc = sup.proc
        sup.stop()
        self.assertIsNotNone(proc.poll())

    @pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
    def test_a_forked_web_worker_leaving_does_not_stop_the_background_worker(self):
        # gunicorn forks its web workers inside `mitra serve`'s try/finally: when one exits,
        # that finally runs in the fork and must leave the background worker alone.
        sup = Supervisor([sys.executable, "-c", "import time; time.sleep(60)"]).start()
        try:
            self.assertTrue(wait_for(lambda: sup.proc is not None, 10))
            pid = os.fork()
            if pid == 0:  # the "web worker"
                try:
                    sup.stop(timeout=1)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
            self.assertIsNone(sup.proc.poll(), "the background worker was stopped")
            self.assertEqual(sup.starts, 1)
        finally:
            sup.stop()
        self.assertIsNotNone(sup.proc.poll())

    def test_embedded_only_with_the_database_queue_and_not_when_turned_off(self):
        with override_settings(TASKS=DB_TASKS):
            self.assertTrue(embedded_enabled())
            self.assertFalse(embedded_enabled(no_worker=True))
            os.environ["MITRA_EMBEDDED_WORKER"] = "0"
            try:
                self.assertFalse(embedded_enabled())
            finally:
                del os.environ["MITRA_EMBEDDED_WORKER"]
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend"}}):
            self.assertFalse(embedded_enabled())


class HeartbeatTest(TestCase):
    # The suite's fixture sets the immediate backend per test; these need the database queue.
    def setUp(self):
        self.enterContext(self.settings(TASKS=DB_TASKS))

    def test_missing_until_a_worker_beats_and_again_a_minute_after(self):
        self.assertTrue(scheduler.worker_missing())
        scheduler.beat("w1")
        self.assertFalse(scheduler.worker_missing())
        later = timezone.now() + dt.timedelta(seconds=scheduler.STALE_AFTER + 1)
        self.assertTrue(scheduler.worker_missing(now=later))

    def test_the_heartbeat_row_is_never_claimed_as_a_periodic_task(self):
        scheduler.beat("w1")
        self.assertNotIn(scheduler.HEARTBEAT, scheduler.tick(worker_id="w2"))
        self.assertEqual(PeriodicRun.objects.get(name=scheduler.HEARTBEAT).last_worker, "w1")


class WaitingPagesTest(BaseTestCase):
    def test_the_outbox_says_when_no_worker_has_been_seen(self):
        self.login(self.admin)
        with override_settings(TASKS=DB_TASKS):
            response = self.client.get(reverse("mail:list"))
            self.assertContains(response, 'id="worker-missing"')
            scheduler.beat("w1")
            response = self.client.get(reverse("mail:list"))
            self.assertNotContains(response, 'id="worker-missing"')

    def test_no_warning_where_tasks_run_at_once(self):
        self.login(self.admin)
        response = self.client.get(reverse("mail:list"))
        self.assertNotContains(response, 'id="worker-missing"')


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid):
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append((int(entry.name), cmdline))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
class ServeRunsTheWorkerTest(SimpleTestCase):
    """A real `mitra serve` on its own SQLite database: the worker it starts drains the
    queue and runs the periodic tasks, and ends with the server."""

    def test_serve_alone_runs_queued_and_periodic_tasks(self):
        import tempfile

        var = Path(tempfile.mkdtemp(prefix="mitra-serve-test-"))
        port = _free_port()
        env = {**os.environ, "MITRA_VAR_DIR": str(var), "DATABASE_URL": "",
               "DJANGO_SETTINGS_MODULE": "mitra.settings", "TASKS_BACKEND": "",
               "MITRA_EMBEDDED_WORKER": "1"}  # fmt: skip
        env.pop("TASKS_BACKEND")
        server = subprocess.Popen(
            [sys.executable, "-m", "mitra.cli", "serve", "--no-demo", "--port", str(port),
             "--workers", "1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        db = var / "mitra.sqlite3"

        def query(sql, *args):
            if not db.exists():
                return None
            try:
                with sqlite3.connect(db, timeout=5) as con:
                    return con.execute(sql, args).fetchone()
            except sqlite3.OperationalError:  # not migrated yet
                return None

        workers = []
        try:

            def healthy():
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        return True
                except OSError:
                    return False

            self.assertTrue(wait_for(healthy, 180, 0.5), "the server did not come up")
            # The scheduler inside the worker beats and enqueues the periodic tasks …
            beat = wait_for(
                lambda: query("SELECT 1 FROM core_periodicrun WHERE name = ?",
                              scheduler.HEARTBEAT), 120, 0.5)  # fmt: skip
            self.assertTrue(beat, "no worker heartbeat")
            # … and the worker runs them: reminders are collected, the outbox drained.
            done = wait_for(
                lambda: query(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'SUCCESSFUL' AND task_path LIKE ?",
                    "%collect_reminders",
                )[0] if query("SELECT 1") else 0, 120, 0.5)  # fmt: skip
            self.assertTrue(done, "collect_reminders never ran")
            workers[:] = [p for p in _children(server.pid) if "mitra.cli worker" in p[1]]
            self.assertEqual(len(workers), 1, workers)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        worker_pid = workers[0][0]
        self.assertTrue(
            wait_for(lambda: not Path(f"/proc/{worker_pid}").exists(), 30),
            "the worker outlived the server",
        )
