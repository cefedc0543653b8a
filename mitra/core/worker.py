"""The background worker that `mitra serve` runs by itself, and how pages know one is alive.

On the embedded default (tasks stored in the database) `mitra serve` starts one
`mitra worker` as a supervised child process: restarted when it dies, stopped with the
server, and killed by the kernel if the server itself is killed (PR_SET_PDEATHSIG). A
separate `mitra worker` (with `MITRA_EMBEDDED_WORKER=0` on the web servers) is how to
scale out; any number may run, the periodic scheduler lets one of them run each period.

Every running worker's scheduler thread writes a heartbeat (`core.scheduler.beat`);
pages that wait on background work show a warning when none has been seen for a minute.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

SUPERVISED_ENV = "MITRA_SUPERVISED_BY"


def _backend():
    return settings.TASKS.get("default", {}).get("BACKEND", "")


def uses_database_queue():
    """True when tasks wait in the database for `mitra worker` (the embedded default)."""
    return _backend() == "django_tasks_db.DatabaseBackend"


def embedded_enabled(no_worker=False):
    if no_worker or not uses_database_queue():
        return False
    value = os.environ.get("MITRA_EMBEDDED_WORKER", "1").strip().lower()
    return value not in ("0", "false", "no", "off")


# -- the child process's side ----------------------------------------------------------


def watch_parent():
    """In a supervised worker: die with the server, even if it is killed outright."""
    parent = os.environ.get(SUPERVISED_ENV)
    if not parent:
        return
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - not glibc
            pass
    if os.getppid() != int(parent):  # the server died before prctl took effect
        sys.exit(0)


# -- the server's side -----------------------------------------------------------------


class Supervisor:
    """Runs `argv` as a child process, restarting it (with backoff) until stopped."""

    def __init__(self, argv=None, min_backoff=1.0, max_backoff=30.0):
        self.argv = argv or [sys.executable, "-m", "mitra.cli", "worker"]
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.proc = None
        self.starts = 0
        # gunicorn forks its web workers from this process, inside the `finally` that stops
        # the supervisor: only the process that started the worker may stop it.
        self.owner_pid = os.getpid()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._loop, name="mitra-worker-supervisor")
        self._thread.daemon = True
        self._thread.start()
        return self

    def _spawn(self):
        env = {**os.environ, SUPERVISED_ENV: str(os.getpid())}
        with self._lock:
            if self._stop.is_set():
                return None
            # A session of its own: Ctrl-C at the terminal reaches the server, which then
            # stops the worker itself (after the task in hand) rather than both at once.
            self.proc = subprocess.Popen(self.argv, env=env, start_new_session=True)
            self.starts += 1
            return self.proc

    def _loop(self):
        backoff = self.min_backoff
        while not self._stop.is_set():
            started = time.monotonic()
            proc = self._spawn()
            if proc is None:
                return
            code = proc.wait()
            if self._stop.is_set():
                return
            if time.monotonic() - started > 60:
                backoff = self.min_backoff  # it ran well for a while: restart at once
            logger.warning("the background worker exited (%s); restarting in %.0f s", code, backoff)
            print(
                f"  background worker exited ({code}); restarting in {backoff:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    def stop(self, timeout=15.0):
        if os.getpid() != self.owner_pid:
            return  # a forked web worker exiting: the background worker is not its to stop
        self._stop.set()
        with self._lock:
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()  # db_worker finishes the task in hand, then exits
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._thread is not None:
            self._thread.join(timeout)
