"""A real SMTP server for tests: `with smtp_server() as smtp:` then read `smtp.messages`.

It runs aiosmtpd on a free local port and points Django's SMTP backend at it, so a
test sends exactly as production does and reads what arrived (headers decoded).
"""

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from django.test import override_settings


class Collector:
    """aiosmtpd handler that keeps every message; can answer 4xx to the next N."""

    def __init__(self):
        self.envelopes = []
        self.sessions = 0
        self.fail_next = 0
        self.fail_reply = "451 4.3.0 Try again later"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1  # one EHLO per SMTP connection
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.fail_next:
            self.fail_next -= 1
            return self.fail_reply
        self.envelopes.append(envelope)
        return "250 2.0.0 OK"

    @property
    def messages(self):
        """Arrived messages as email.message.EmailMessage (headers decoded)."""
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
        ]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def subject_of(message):
    """The decoded subject. Django 5.2 folds an encoded subject onto a continuation line
    ("Subject:\\n =?utf-8?b?…?="); unfolding leaves a space that mail clients drop too."""
    return str(message["Subject"]).strip()


def body_of(message, subtype="plain"):
    part = message.get_body((subtype,))
    return part.get_content() if part is not None else ""


@contextmanager
def smtp_server():
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
        ):
            yield handler
    finally:
        controller.stop()
