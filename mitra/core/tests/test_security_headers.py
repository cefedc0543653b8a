"""Security headers: a script policy without inline code or eval, HSTS and secure cookies
over HTTPS, Permissions-Policy, no Server banner from `mitra serve`, and templates that
keep to the policy."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from mitra.core.testing import BaseTestCase

MITRA = Path(settings.BASE_DIR)


def directive(policy, name):
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return None


class HeadersTest(BaseTestCase):
    def test_scripts_come_from_our_own_files_only(self):
        self.login(self.owner)
        policy = self.client.get("/")["Content-Security-Policy"]
        self.assertEqual(directive(policy, "script-src"), ["'self'"])
        self.assertEqual(directive(policy, "object-src"), ["'none'"])
        self.assertNotIn("unsafe-eval", policy)

    def test_permissions_policy_switches_off_unused_features(self):
        r = self.client.get(reverse("login"))
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            self.assertIn(feature, r["Permissions-Policy"])

    def test_plain_http_gets_no_hsts_and_cookies_without_secure(self):
        r = self.client.get(reverse("login"))
        self.assertNotIn("Strict-Transport-Security", r)
        self.assertFalse(r.cookies["csrftoken"]["secure"])
        r = self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertFalse(r.cookies[settings.SESSION_COOKIE_NAME]["secure"])

    def test_https_gets_hsts_and_secure_cookies(self):
        r = self.client.get(reverse("login"), secure=True)
        self.assertEqual(r["Strict-Transport-Security"], "max-age=31536000")
        self.assertTrue(r.cookies["csrftoken"]["secure"])
        r = self.client.post(reverse("set_language"), {"language": "th", "next": "/"}, secure=True)
        self.assertTrue(r.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"])
        r = self.client.post(
            reverse("login"), {"username": "owner", "password": self.p.password}, secure=True
        )
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r.cookies[settings.SESSION_COOKIE_NAME]["secure"])
        self.assertTrue(r.cookies["csrftoken"]["secure"])

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_behind_a_proxy_the_forwarded_scheme_counts(self):
        r = self.client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
        self.assertIn("max-age=", r["Strict-Transport-Security"])
        self.assertTrue(r.cookies["csrftoken"]["secure"])
        r = self.client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="http")
        self.assertNotIn("Strict-Transport-Security", r)


class SettingsFromEnvironmentTest(SimpleTestCase):
    def read(self, **env):
        code = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mitra.settings'; "
            "from django.conf import settings as s; "
            "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
        )
        clean = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "HSTS_SECONDS")}
        clean.pop("SECURE_PROXY_SSL_HEADER", None)
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=MITRA.parent,
        )
        return out.stdout.strip()

    def test_naming_the_proxy_header_turns_secure_cookies_on(self):
        self.assertEqual(self.read(), "None False False 31536000")
        self.assertEqual(
            self.read(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
            "('HTTP_X_FORWARDED_PROTO', 'https') True True 31536000",
        )
        self.assertEqual(
            self.read(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", SECURE_COOKIES="0"),
            "('HTTP_X_FORWARDED_PROTO', 'https') False False 31536000",
        )
        self.assertEqual(self.read(HSTS_SECONDS="0").split()[-1], "0")


class TemplatesKeepToThePolicyTest(SimpleTestCase):
    """No inline script (a JSON data block is fine) and no inline event handler."""

    SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
    HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)

    def test_no_template_has_an_inline_script_or_handler(self):
        found = []
        for path in MITRA.rglob("templates/**/*.html"):
            text = path.read_text()
            for m in self.SCRIPT.finditer(text):
                attrs = m.group(1)
                if "src=" not in attrs and "application/json" not in attrs:
                    found.append(f"{path}: {m.group(0)}")
            for m in self.HANDLER.finditer(text):
                found.append(f"{path}: {m.group(0)}")
            for m in re.finditer(r"hx-on|hx-vals=['\"]\s*js:|hx-vars", text):
                found.append(f"{path}: {m.group(0)}")
        self.assertEqual(found, [])
        self.assertGreater(len(list(MITRA.rglob("templates/**/*.html"))), 50)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeHasNoServerBannerTest(SimpleTestCase):
    """`mitra serve` (gunicorn) on 127.0.0.1: no Server header, our headers present."""

    def test_a_real_server_sends_no_server_header(self):
        port = free_port()
        with tempfile.TemporaryDirectory() as var:
            env = {
                **os.environ,
                "MITRA_VAR_DIR": var,
                "DATABASE_URL": f"sqlite:///{var}/mitra.sqlite3",
                "DJANGO_SETTINGS_MODULE": "mitra.settings",
            }
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from mitra.cli import main; main()",
                    "serve",
                    "--no-demo",
                    "--workers",
                    "1",
                    "--port",
                    str(port),
                ],
                env=env,
                cwd=MITRA.parent,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                response = None
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline and proc.poll() is None:
                    try:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                        conn.request("GET", "/account/login/")
                        response = conn.getresponse()
                        response.read()
                        break
                    except OSError:
                        time.sleep(0.5)
                self.assertIsNotNone(response, "mitra serve did not answer")
                self.assertEqual(response.status, 200)
                self.assertIsNone(response.getheader("Server"))
                self.assertIn("script-src 'self';", response.getheader("Content-Security-Policy"))
                self.assertIn("camera=()", response.getheader("Permissions-Policy"))
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
