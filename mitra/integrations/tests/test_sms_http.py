"""The SMS channel against a fake HTTP gateway on 127.0.0.1."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from mitra.core import outbox
from mitra.core.testing import BaseTestCase
from mitra.integrations.testing import http_server
from mitra.mail.models import DeliveryLog, OutboxMessage

Status = OutboxMessage.Status


class HttpSmsTest(BaseTestCase):
    def gateway(self, server, **extra):
        return self.settings(
            SMS_GATEWAY_URL=f"{server.url}/send", SMS_GATEWAY_TOKEN="t0ken", SMS_SENDER="Mitra",
            **extra,
        )  # fmt: skip

    def test_it_posts_the_message_to_the_gateway(self):
        message = outbox.queue_sms(to="081 234 5678", text="นัดพรุ่งนี้ ۱۰ صبح")
        self.assertEqual(message.channel, outbox.Channel.SMS)
        self.assertEqual(message.to, "+66812345678")
        with http_server() as server, self.gateway(server):
            result = outbox.drain()
        self.assertEqual(result["sent"], 1)
        ((path, headers, _body),) = server.requests
        self.assertEqual(path, "/send")
        self.assertEqual(headers["authorization"], "Bearer t0ken")
        self.assertEqual(
            server.json(),
            [{"to": "+66812345678", "text": "นัดพรุ่งนี้ ۱۰ صبح", "from": "Mitra",
              "reference": message.message_id}],
        )  # fmt: skip
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)
        self.assertEqual(list(message.log.values_list("outcome", flat=True)), ["sent"])

    def test_a_server_error_is_retried_with_backoff_then_sent(self):
        message = outbox.queue_sms(to="+66812345678", text="retry")
        with http_server() as server, self.gateway(server):
            server.fail_next = 1
            outbox.drain()
            message.refresh_from_db()
            self.assertEqual(message.status, Status.QUEUED)
            self.assertIn("500", message.last_error)
            self.assertGreater(message.next_attempt_at, timezone.now() + timedelta(seconds=30))
            self.assertEqual(outbox.drain()["claimed"], 0)  # not due yet
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)
        self.assertEqual(message.attempts, 2)
        self.assertEqual(len(server.requests), 1)
        self.assertEqual(
            list(message.log.order_by("at", "id").values_list("outcome", flat=True)),
            [DeliveryLog.Outcome.RETRY, DeliveryLog.Outcome.SENT],
        )

    def test_a_refusal_is_not_retried(self):
        message = outbox.queue_sms(to="+66812345678", text="nope")
        with http_server() as server, self.gateway(server):
            server.fail_next, server.fail_status = 1, 400
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.FAILED)
        self.assertIn("400", message.last_error)

    def test_an_unreachable_gateway_is_retried(self):
        message = outbox.queue_sms(to="+66812345678", text="down")
        with http_server() as server:
            url = server.url
        with self.settings(SMS_GATEWAY_URL=url):
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.QUEUED)
        self.assertTrue(message.last_error)

    def test_basic_auth_when_there_is_no_token(self):
        outbox.queue_sms(to="+66812345678", text="x")
        with http_server() as server, self.settings(
            SMS_GATEWAY_URL=server.url, SMS_GATEWAY_TOKEN="", SMS_GATEWAY_USER="u",
            SMS_GATEWAY_PASSWORD="p",
        ):  # fmt: skip
            outbox.drain()
        self.assertEqual(server.requests[0][1]["authorization"], "Basic dTpw")

    def test_bad_input_is_refused_and_nothing_is_stored(self):
        for to, text in (("not a phone", "x"), ("", "x"), ("+66812345678", "  ")):
            with self.assertRaises(ValidationError):
                outbox.queue_sms(to=to, text=text)
        self.assertFalse(OutboxMessage.objects.exists())
