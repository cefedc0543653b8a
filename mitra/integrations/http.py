"""A small HTTP POST for the providers (urllib: no dependency), and which answers are
worth retrying."""

import urllib.error
import urllib.request

from django.conf import settings

from mitra.core.outbox import Provider


class HttpRefused(Exception):
    """The server answered with an error status."""

    def __init__(self, status, body=""):
        super().__init__(f"HTTP {status} {body}".strip())
        self.status = status


def post(url, body, headers, timeout=None):
    """POST `body` (bytes); returns (status, text) for a 2xx answer, raises HttpRefused
    for any other and OSError when the server cannot be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    timeout = timeout or getattr(settings, "OUTBOX_HTTP_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        text = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
        raise HttpRefused(exc.code, " ".join(text.split())[:300]) from None


def is_permanent(exc):
    """4xx (except timeout and rate limits) will not get better by waiting; 5xx and
    unreachable servers may."""
    if isinstance(exc, HttpRefused):
        return 400 <= exc.status < 500 and exc.status not in (408, 425, 429)
    return isinstance(exc, (ValueError, UnicodeError))


class PostPerMessage(Provider):
    """A provider that sends each message with one HTTP POST (`post_message`): an error
    fails that message only, and only the answers `is_permanent` names are not retried."""

    def post_message(self, message):
        raise NotImplementedError

    def send_batch(self, messages, delivered, failed):
        for message in messages:
            try:
                self.post_message(message)
            except Exception as exc:
                failed(message, exc)
            else:
                delivered(message)

    def is_permanent(self, exc):
        return is_permanent(exc)
