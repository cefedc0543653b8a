"""The email channel of the outbox: SMTP through Django's mail backend, one connection
per batch."""

import contextlib
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection

from mitra.core.outbox import Channel, Provider


def bare_address(address):
    """The address part of "Name <a@b>"."""
    if "<" in address and address.endswith(">"):
        return address.rsplit("<", 1)[1][:-1]
    return address


def message_domain():
    sender = bare_address(settings.DEFAULT_FROM_EMAIL)
    return sender.rsplit("@", 1)[-1] if "@" in sender else "localhost"


def build_email(message, connection=None):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=message.to_list,
        cc=message.cc_list,
        connection=connection,
        headers={"Message-ID": message.message_id or make_msgid(domain=message_domain())},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments or ():
        with default_storage.open(item["path"], "rb") as fh:
            email.attach(item["name"], fh.read(), item.get("mimetype") or None)
    return email


class SmtpProvider(Provider):
    channel = Channel.EMAIL
    # A mail server keeps no record of Message-IDs it has seen: never resend blindly.
    resend_interrupted = False

    def is_permanent(self, exc):
        """5xx answers (bad address, refused) are not worth retrying."""
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _msg in exc.recipients.values()]
            return bool(codes) and all(code >= 500 for code in codes)
        if isinstance(exc, smtplib.SMTPResponseException):
            return exc.smtp_code >= 500
        return super().is_permanent(exc)

    def describe(self, exc):
        if isinstance(exc, smtplib.SMTPResponseException):
            error = exc.smtp_error
            if isinstance(error, bytes):
                error = error.decode("utf-8", "replace")
            return f"{exc.smtp_code} {error}"
        return super().describe(exc)

    def send_batch(self, messages, delivered, failed):
        """Over ONE SMTP connection, reopened after the server drops it."""
        connection = get_connection(fail_silently=False)
        is_open = False
        try:
            for message in messages:
                try:
                    if not is_open:
                        connection.open()
                        is_open = True
                    connection.send_messages([build_email(message, connection)])
                except Exception as exc:
                    failed(message, exc)
                    if isinstance(
                        exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)
                    ):
                        _close(connection)
                        is_open = False
                    continue
                delivered(message)
        finally:
            if is_open:
                _close(connection)


def _close(connection):
    with contextlib.suppress(Exception):  # a dead connection cannot be closed politely
        connection.close()
