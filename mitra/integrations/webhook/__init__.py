"""The webhook channel: a signed HTTP POST in the Standard Webhooks shape
(https://www.standardwebhooks.com/).

Endpoints are settings: `WEBHOOK_ENDPOINTS = {"erp": {"url": "https://…", "secret":
"whsec_<base64>"}}`. Each delivery carries `webhook-id` (the message's id, the same on
every attempt: receivers drop repeats by it), `webhook-timestamp` (seconds) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the
secret's bytes (base64 after `whsec_`). `verify()` is the receiver's side.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings

from mitra.core.outbox import Channel

from .. import http

TOLERANCE = 5 * 60  # seconds a receiver accepts between the timestamp and its clock


class InvalidSignature(Exception):
    pass


def secret_bytes(secret):
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :])
    return secret.encode()


def sign(secret, msg_id, timestamp, body):
    """The `webhook-signature` value for one delivery (`body` is bytes)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret, headers, body, now=None, tolerance=TOLERANCE):
    """Raise InvalidSignature unless `headers` sign `body` with `secret` recently."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id", "")
    timestamp = lower.get("webhook-timestamp", "")
    given = lower.get("webhook-signature", "").split()
    if not (msg_id and timestamp.isdigit() and given):
        raise InvalidSignature("missing headers")
    now = int(now if now is not None else time.time())
    if abs(now - int(timestamp)) > tolerance:
        raise InvalidSignature("timestamp out of tolerance")
    expected = sign(secret, msg_id, timestamp, body)
    if not any(hmac.compare_digest(expected, g) for g in given):
        raise InvalidSignature("no matching signature")
    return True


class WebhookProvider(http.PostPerMessage):
    channel = Channel.WEBHOOK
    resend_interrupted = True  # webhook-id lets the receiver drop a repeat

    def post_message(self, message):
        name = (message.payload or {}).get("endpoint", "")
        config = getattr(settings, "WEBHOOK_ENDPOINTS", {}).get(name) or {}
        secret = config.get("secret", "")
        if not secret:
            raise ValueError(f"the webhook endpoint {name!r} has no secret")
        body = message.text.encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "webhook-id": message.message_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": sign(secret, message.message_id, timestamp, body),
        }
        # The URL as queued: a changed endpoint applies to new messages.
        http.post(message.to, body, headers)
