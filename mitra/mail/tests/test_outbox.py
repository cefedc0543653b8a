from datetime import timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.mail import outbox
from mitra.mail.models import DeliveryLog, OutboxMessage
from mitra.mail.testing import body_of, smtp_server, subject_of

Status = OutboxMessage.Status


class OutboxTest(BaseTestCase):
    def test_it_sends_thai_and_persian_intact_through_a_real_smtp_server(self):
        with smtp_server() as smtp, self.captureOnCommitCallbacks(execute=True):
            outbox.queue_email(
                to="somchai@example.com",
                subject="ใบเสนอราคาของคุณพร้อมแล้ว",
                body="สวัสดีครับ คุณสมชาย\nขอบคุณที่ใช้บริการ",
                html="<p>สวัสดีครับ</p>",
                acting_user=self.owner,
            )
            outbox.queue_email(
                to=["Sara <sara@example.com>"],
                cc="boss@example.com",
                subject="یادآوری: جلسهٔ فردا",
                body="سلام سارا، جلسه ساعت ۱۰ صبح است.",
                attachments=[("نامه.txt", "متن پیوست", "text/plain")],
            )
        arrived = {subject_of(m): m for m in smtp.messages}
        self.assertEqual(set(arrived), {"ใบเสนอราคาของคุณพร้อมแล้ว", "یادآوری: جلسهٔ فردا"})
        thai = arrived["ใบเสนอราคาของคุณพร้อมแล้ว"]
        self.assertEqual(thai["To"], "somchai@example.com")
        self.assertIn("ขอบคุณที่ใช้บริการ", body_of(thai))
        self.assertIn("สวัสดีครับ", body_of(thai, "html"))
        persian = arrived["یادآوری: جلسهٔ فردا"]
        self.assertEqual(body_of(persian).strip(), "سلام سارا، جلسه ساعت ۱۰ صبح است.")
        self.assertEqual(persian["Cc"], "boss@example.com")
        attachment = next(persian.iter_attachments())
        self.assertEqual(attachment.get_filename(), "نامه.txt")
        self.assertEqual(attachment.get_content(), "متن پیوست")
        self.assertEqual(OutboxMessage.objects.filter(status=Status.SENT).count(), 2)
        sent = OutboxMessage.objects.get(subject="ใบเสนอราคาของคุณพร้อมแล้ว")
        self.assertEqual(thai["Message-ID"], sent.message_id)
        self.assertEqual(sent.log.get().outcome, DeliveryLog.Outcome.SENT)

    def test_it_reuses_one_connection_for_a_batch(self):
        for i in range(5):
            outbox.queue_email(to=f"p{i}@example.com", subject=f"n{i}", body="x")
        with smtp_server() as smtp:
            result = outbox.drain()
        self.assertEqual(result["sent"], 5)
        self.assertEqual(len(smtp.messages), 5)
        self.assertEqual(smtp.sessions, 1)

    def test_it_retries_with_backoff_then_succeeds(self):
        message = outbox.queue_email(to="a@example.com", subject="retry me", body="x")
        with smtp_server() as smtp:
            smtp.fail_next = 2
            before = timezone.now()
            outbox.drain()
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (Status.QUEUED, 1))
            self.assertIn("451", message.last_error)
            wait = message.next_attempt_at - before
            self.assertTrue(timedelta(seconds=55) < wait < timedelta(seconds=70), wait)

            # Not due yet: nothing is sent.
            self.assertEqual(outbox.drain()["claimed"], 0)

            OutboxMessage.objects.update(next_attempt_at=timezone.now())
            outbox.drain()
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (Status.QUEUED, 2))
            # Second wait is twice the first.
            self.assertGreater(message.next_attempt_at - timezone.now(), timedelta(seconds=110))

            OutboxMessage.objects.update(next_attempt_at=timezone.now())
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)
        self.assertEqual(message.attempts, 3)
        self.assertEqual([subject_of(m) for m in smtp.messages], ["retry me"])
        self.assertEqual(
            list(message.log.order_by("at", "id").values_list("outcome", flat=True)),
            ["retry", "retry", "sent"],
        )

    def test_it_gives_up_after_the_last_attempt(self):
        message = outbox.queue_email(to="a@example.com", subject="never", body="x")
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
        with smtp_server() as smtp:
            smtp.fail_next = 1
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.FAILED)
        self.assertEqual(message.log.get().outcome, DeliveryLog.Outcome.FAILED)

    def test_it_does_not_retry_a_permanent_refusal(self):
        message = outbox.queue_email(to="a@example.com", subject="nope", body="x")
        with smtp_server() as smtp:
            smtp.fail_next, smtp.fail_reply = 1, "550 5.1.1 No such user"
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Status.FAILED, 1))
        self.assertIn("550", message.last_error)

    def test_it_retries_when_the_server_is_down(self):
        message = outbox.queue_email(to="a@example.com", subject="down", body="x")
        with smtp_server():
            pass  # the port is free again: connections are refused
        with self.settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=1,
        ):
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.QUEUED)
        self.assertTrue(message.last_error)

    def test_two_workers_never_claim_the_same_message(self):
        for i in range(3):
            outbox.queue_email(to=f"p{i}@example.com", subject=f"n{i}", body="x")
        # Worker B reads the same due ids as worker A, then both UPDATE.
        real_due = OutboxMessage.objects.due
        ids = list(real_due().values_list("pk", flat=True))
        token_a, claimed_a = outbox.claim_batch()
        with mock.patch.object(
            OutboxMessage.objects, "due", return_value=OutboxMessage.objects.filter(pk__in=ids)
        ):
            token_b, claimed_b = outbox.claim_batch()
        self.assertEqual(len(claimed_a), 3)
        self.assertEqual(claimed_b, [])
        with smtp_server() as smtp:
            outbox.send_batch(claimed_b, token_b)
            outbox.send_batch(claimed_a, token_a)
        self.assertEqual(len(smtp.messages), 3)

    def test_a_message_left_sending_by_a_dead_worker_is_failed_not_resent(self):
        message = outbox.queue_email(to="a@example.com", subject="crash", body="x")
        outbox.claim_batch()  # the worker claimed it and died
        OutboxMessage.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
        with smtp_server() as smtp:
            outbox.drain()
        message.refresh_from_db()
        self.assertEqual(message.status, Status.FAILED)
        self.assertEqual(smtp.messages, [])
        self.assertEqual(message.log.get().outcome, DeliveryLog.Outcome.INTERRUPTED)

    def test_sent_hooks_are_called_with_each_sent_message(self):
        seen = []
        hook = outbox.register_sent_hook(lambda m: seen.append(m.subject))
        try:
            outbox.queue_email(to="a@example.com", subject="hooked", body="x")
            with smtp_server():
                outbox.drain()
        finally:
            outbox._sent_hooks.remove(hook)
        self.assertEqual(seen, ["hooked"])

    def test_a_failing_hook_does_not_undo_the_send(self):
        def broken(message):
            raise RuntimeError("boom")

        outbox.register_sent_hook(broken)
        try:
            message = outbox.queue_email(to="a@example.com", subject="ok", body="x")
            with smtp_server(), self.assertLogs("mitra.core.outbox", "ERROR"):
                outbox.drain()
        finally:
            outbox._sent_hooks.remove(broken)
        message.refresh_from_db()
        self.assertEqual(message.status, Status.SENT)

    def test_it_refuses_bad_addresses_and_keeps_subjects_on_one_line(self):
        with self.assertRaises(ValidationError):
            outbox.queue_email(to="not an address", subject="x", body="x")
        with self.assertRaises(ValidationError):
            outbox.queue_email(to=[], subject="x", body="x")
        self.assertFalse(OutboxMessage.objects.exists())
        message = outbox.queue_email(to="a@example.com", subject="a\r\nBcc: evil@x", body="x")
        self.assertEqual(message.subject, "a Bcc: evil@x")

    def test_the_task_drains_on_commit(self):
        from django.core import mail

        with self.captureOnCommitCallbacks(execute=True):
            outbox.queue_email(to="a@example.com", subject="immediate", body="x")
        # The suite's immediate task backend and locmem email backend.
        self.assertEqual([m.subject for m in mail.outbox], ["immediate"])
