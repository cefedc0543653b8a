"""The SMS channel through a generic HTTP gateway.

Each message is one POST of JSON to `SMS_GATEWAY_URL`:
`{"to": "+66812345678", "text": "…", "from": SMS_SENDER, "reference": "msg_…"}`, with
`Authorization: Bearer SMS_GATEWAY_TOKEN` (or HTTP basic auth with SMS_GATEWAY_USER and
SMS_GATEWAY_PASSWORD). Any 2xx is success; 4xx is a refusal (not retried, except 408/429);
5xx and an unreachable gateway are retried. The `reference` stays the same on every
attempt, so a gateway that drops repeats of one reference sends each message once.
"""

import base64
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mitra.core.outbox import Channel

from .. import http


class HttpSmsProvider(http.PostPerMessage):
    channel = Channel.SMS
    resend_interrupted = True

    def headers(self):
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
        user = getattr(settings, "SMS_GATEWAY_USER", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            pair = f"{user}:{getattr(settings, 'SMS_GATEWAY_PASSWORD', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return headers

    def post_message(self, message):
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise ImproperlyConfigured("SMS_GATEWAY_URL is not set")
        body = {
            "to": message.to,
            "text": message.text,
            "from": getattr(settings, "SMS_SENDER", ""),
            "reference": message.message_id,
        }
        http.post(url, json.dumps(body, ensure_ascii=False).encode(), self.headers())
