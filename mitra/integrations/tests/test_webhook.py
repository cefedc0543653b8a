"""The webhook channel against a fake receiver on 127.0.0.1, and exactly-once delivery
when a worker dies with a message in hand."""

import json
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from mitra.core import outbox
from mitra.core.testing import BaseTestCase
from mitra.integrations import webhook
from mitra.integrations.testing import http_server
from mitra.mail.models import OutboxMessage

Status = OutboxMessage.Status
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class WebhookTest(BaseTestCase):
    def endpoint(self, server):
        return self.settings(
            WEBHOOK_ENDPOINTS={"erp": {"url": f"{server.url}/hook", "secret": SECRET}}
        )

    def test_it_posts_a_signed_event_the_receiver_can_verify(self):
        with http_server() as server, self.endpoint(server):
            message = outbox.queue_webhook(
                endpoint="erp", event="party.created", data={"name": "บริษัท ตัวอย่าง"}
            )
            outbox.drain()
        ((path, headers, body),) = server.requests
        self.assertEqual(path, "/hook")
        self.assertEqual(headers["webhook-id"], message.message_id)
        self.assertTrue(webhook.verify(SECRET, headers, body))
        event = json.loads(body)
        self.assertEqual(event["type"], "party.created")
        self.assertEqual(event["data"], {"name": "บริษัท ตัวอย่าง"})
        with self.assertRaises(webhook.InvalidSignature):
            webhook.verify(SECRET, headers, body.replace("ตัวอย่าง".encode(), b"x"))
        with self.assertRaises(webhook.InvalidSignature):
            webhook.verify("whsec_" + "QUJD", headers, body)
        with self.assertRaises(webhook.InvalidSignature):
            webhook.verify(SECRET, headers, body, now=time.time() + 3600)
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)

    def test_the_signature_follows_standard_webhooks(self):
        # The example of the Standard Webhooks reference libraries.
        body = b'{"test": 2432232314}'
        self.assertEqual(
            webhook.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        )

    def test_a_retry_sends_the_same_id_and_body(self):
        with http_server() as server, self.endpoint(server):
            message = outbox.queue_webhook(endpoint="erp", event="x", data={"n": 1})
            server.fail_next = 1
            outbox.drain()
            message.refresh_from_db()
            self.assertEqual(message.status, Status.QUEUED)
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
            outbox.drain()
        ((_path, headers, body),) = server.requests
        self.assertEqual(headers["webhook-id"], message.message_id)
        self.assertEqual(body.decode(), message.text)

    def test_an_unknown_endpoint_is_refused(self):
        with self.assertRaises(ValidationError):
            outbox.queue_webhook(endpoint="nowhere", event="x", data={})
        self.assertFalse(OutboxMessage.objects.exists())


class ExactlyOnceTest(BaseTestCase):
    """A worker dies with messages claimed; the next drain recovers them."""

    def setUp(self):
        super().setUp()
        self.server_cm = http_server()
        self.server = self.server_cm.__enter__()
        self.addCleanup(self.server_cm.__exit__, None, None, None)
        self.settings_cm = self.settings(
            WEBHOOK_ENDPOINTS={"erp": {"url": self.server.url, "secret": SECRET}},
            SMS_GATEWAY_URL=self.server.url,
        )
        self.settings_cm.enable()
        self.addCleanup(self.settings_cm.disable)

    def die_and_wait(self):
        OutboxMessage.objects.filter(status=Status.SENDING).update(
            claimed_at=timezone.now() - outbox.STALE_AFTER - timedelta(seconds=1)
        )

    def test_a_message_claimed_by_a_dead_worker_is_sent_once(self):
        hook = outbox.queue_webhook(endpoint="erp", event="x", data={})
        sms = outbox.queue_sms(to="+66812345678", text="x")
        token, claimed = outbox.claim_batch()  # worker A claims both, then dies
        self.assertEqual(len(claimed), 2)
        self.assertEqual(outbox.drain()["claimed"], 0)  # A's claim holds while it may live
        self.die_and_wait()
        result = outbox.drain()  # worker B
        self.assertEqual((result["claimed"], result["sent"]), (2, 2))
        self.assertEqual(outbox.drain()["claimed"], 0)
        self.assertEqual(len(self.server.requests), 2)
        for message in (hook, sms):
            message.refresh_from_db()
            self.assertEqual(message.status, Status.SENT)
            self.assertEqual(
                list(message.log.order_by("at", "id").values_list("outcome", flat=True)),
                ["interrupted", "sent"],
            )
        # Worker A was only slow after all: its late report changes nothing.
        outbox._mark_failed(claimed[0], token, RuntimeError("late"), outbox.Provider())
        hook.refresh_from_db()
        self.assertEqual(hook.status, Status.SENT)

    def test_a_message_sent_by_a_worker_that_died_before_recording_it_arrives_once(self):
        message = outbox.queue_webhook(endpoint="erp", event="x", data={})
        token, claimed = outbox.claim_batch()
        # Worker A posts, then dies before it can mark the message sent.
        webhook.WebhookProvider().send_batch(claimed, lambda m: None, lambda m, e: None)
        self.die_and_wait()
        outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)
        self.assertEqual(len(self.server.requests), 2)  # on the wire twice …
        self.assertEqual(self.server.unique("webhook-id"), [message.message_id])  # … one id

    def test_an_email_claimed_by_a_dead_worker_is_failed_not_resent(self):
        from mitra.mail.outbox import queue_email
        from mitra.mail.testing import smtp_server

        message = queue_email(to="a@example.com", subject="crash", body="x")
        outbox.claim_batch()
        self.die_and_wait()
        with smtp_server() as smtp:
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.FAILED)
        self.assertEqual(smtp.messages, [])
