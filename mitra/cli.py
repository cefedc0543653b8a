"""The `mitra` command: serve, worker, demo, createuser, check (and any manage.py command)."""

import argparse
import os
import secrets
import sys
from pathlib import Path


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mitra.settings")
    import django

    django.setup()


def _call(*args, **kwargs):
    from django.core.management import call_command

    call_command(*args, **kwargs)


def first_start(load_demo=True):
    """Migrate; on the very first start create an administrator and demo data.

    The administrator's password is generated and kept in var/initial_login.txt (mode
    600) so `make run` can print it on every start until the file is deleted.
    """
    from django.conf import settings
    from django.db import transaction

    _call("migrate", interactive=False, verbosity=0)
    from django.db import connection

    from mitra.users.models import User

    if connection.vendor == "sqlite":
        # Fresh statistics so SQLite's planner picks the right index on big tables.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("PRAGMA optimize=0x10002")

    login_file = Path(settings.VAR_DIR) / "initial_login.txt"
    if not User.objects.filter(is_superuser=True).exists():
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            User.objects.create_superuser("admin", "admin@example.com", password)
        login_file.write_text(f"admin\n{password}\n")
        login_file.chmod(0o600)
        if load_demo:
            _call("mitra_demo")
    if login_file.exists():
        username, password = login_file.read_text().split("\n")[:2]
        print(f"\n  Mitra CRM: sign in as  {username} / {password}")
        print(f"  (saved in {login_file}; delete that file once you have changed the password)\n")


def cmd_serve(opts):
    _setup()
    first_start(load_demo=not opts.no_demo)
    host, port = opts.host, opts.port
    from mitra.core.worker import Supervisor, embedded_enabled

    supervisor = None
    # With the auto-reloader the command runs again in a child (RUN_MAIN): one worker only.
    if embedded_enabled(opts.no_worker) and os.environ.get("RUN_MAIN") != "true":
        supervisor = Supervisor().start()
        print("  Background worker and scheduler: running (mitra worker)", flush=True)
    print(f"  Serving on http://{host}:{port}\n", flush=True)
    try:
        _serve(opts, host, port)
    finally:
        if supervisor is not None:
            supervisor.stop()


def _serve(opts, host, port):
    if opts.dev:
        _call("runserver", f"{host}:{port}", use_reloader=True)
        return
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "mitra.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(opts.workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
    ]
    hide_server_banner()
    run()


def hide_server_banner():
    """Gunicorn writes `Server: gunicorn` before the application's headers, where no
    middleware can reach it; drop that line (the workers fork from this process)."""
    from gunicorn.http.wsgi import Response

    if getattr(Response.default_headers, "mitra_quiet", False):
        return
    original = Response.default_headers

    def default_headers(self):
        return [h for h in original(self) if not h.lower().startswith("server:")]

    default_headers.mitra_quiet = True
    Response.default_headers = default_headers


def cmd_worker(opts):
    """Run queued tasks; also enqueue the periodic ones (reminders, mail drain).

    Any number of workers may run: each periodic run is claimed by one of them only
    (see mitra.core.scheduler).
    """
    _setup()
    from mitra.core.worker import watch_parent

    watch_parent()  # started by `mitra serve`: end with it
    _call("migrate", interactive=False, verbosity=0)
    from django.utils.crypto import get_random_string

    worker_id = f"{os.uname().nodename[:40]}-{get_random_string(12)}"
    from mitra.core import scheduler

    if opts.once:
        scheduler.beat(worker_id)
        scheduler.tick(worker_id=worker_id)
        _call("db_worker", batch=True, startup_delay=False, reload=False, worker_id=worker_id)
        return
    stop = scheduler.start(worker_id=worker_id)
    try:
        _call("db_worker", worker_id=worker_id)
    finally:
        stop.set()


def cmd_demo(opts):
    _setup()
    _call("migrate", interactive=False, verbosity=0)
    keys = ("parties", "activities_for")
    _call("mitra_demo", **{k: v for k, v in vars(opts).items() if k in keys and v is not None})


def cmd_createuser(opts):
    _setup()
    from getpass import getpass

    from mitra.users.models import Role, User

    password = opts.password or getpass("Password: ")
    role = Role.objects.filter(name=opts.role).first() if opts.role else None
    if opts.role and role is None:
        sys.exit(f"No role named {opts.role!r}.")
    factory = User.objects.create_superuser if opts.superuser else User.objects.create_user
    user = factory(opts.username, opts.email or "", password)
    if role:
        user.role = role
        user.save(update_fields=["role"])
    print(f"created {user.username}")


def cmd_check(opts):
    _setup()
    from django.db import connection

    _call("check", deploy=opts.deploy)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    print(f"database ok ({connection.vendor})")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="mitra", description="Mitra CRM")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("serve", help="migrate, then serve the web app (gunicorn + whitenoise)")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    p.add_argument("--no-demo", action="store_true", help="do not load demo data on first start")
    p.add_argument("--dev", action="store_true", help="Django's auto-reloading development server")
    p.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run the background worker in this process group (run `mitra worker` "
        "elsewhere; also MITRA_EMBEDDED_WORKER=0)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run queued background tasks")
    p.add_argument("--once", action="store_true", help="run what is queued now, then exit")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="load demo data (safe to run again)")
    p.add_argument("--parties", type=int, default=None, help="how many demo parties")
    p.add_argument(
        "--activities-for",
        type=int,
        default=None,
        help="give ~10 interactions to this many parties (default 20,000; 0 = all)",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("createuser", help="create a user")
    p.add_argument("username")
    p.add_argument("--email")
    p.add_argument("--password", help="prompted for when not given")
    p.add_argument("--role", help="name of an existing role")
    p.add_argument("--superuser", action="store_true")
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("check", help="check configuration and database connection")
    p.add_argument("--deploy", action="store_true")
    p.set_defaults(func=cmd_check)

    if argv and argv[0] not in sub.choices and not argv[0].startswith("-"):
        # Anything else is a Django management command: `mitra migrate`, `mitra shell`, …
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["mitra", *argv])
        return
    opts = parser.parse_args(argv)
    if not opts.command:
        parser.print_help()
        return
    opts.func(opts)


if __name__ == "__main__":
    main()
