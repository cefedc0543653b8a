"""Project-wide pytest setup: fast hashing, isolated var/ and media, browser fixtures."""

import os
import shutil
import tempfile

import pytest

# Tests never touch the developer's var/ folder.
os.environ.setdefault("MITRA_VAR_DIR", tempfile.mkdtemp(prefix="mitra-test-var-"))


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is right for production and far too slow for hundreds of test logins. Set
    # here, not in a fixture, because setUpTestData hashes before fixtures run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # pytest-django imports settings before this file runs, so MITRA_VAR_DIR above may be
    # too late: point var/ at a temporary folder so tests never touch the developer's
    # login file or media.
    from pathlib import Path

    settings.VAR_DIR = Path(tempfile.mkdtemp(prefix="mitra-test-var-"))
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"


@pytest.fixture(autouse=True)
def _fresh_locale():
    """Each test starts in English, UTC, Gregorian, the company's phone country: requests
    set these per thread."""
    from django.utils import timezone, translation

    from mitra.core import calendars, text

    translation.activate("en")
    timezone.deactivate()
    calendars.activate()
    text.activate_region(None)
    yield
    translation.activate("en")
    timezone.deactivate()
    calendars.activate()
    text.activate_region(None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (tests use the in-process LocMemCache), so
    remembered query plans and filter choices from one test never shape another's
    query counts."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def personas(db):
    from mitra.core.testing import create_personas

    return create_personas()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """A real Debian Chromium driven by Playwright; skipped with a reason when absent."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (uv sync installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
