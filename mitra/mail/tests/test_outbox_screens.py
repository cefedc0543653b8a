from django.urls import reverse

from mitra.core import outbox as core_outbox
from mitra.core.testing import BaseTestCase
from mitra.mail import outbox
from mitra.mail.models import DeliveryLog, OutboxMessage

Status = OutboxMessage.Status


class OutboxScreensTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sent = outbox.queue_email(to="a@example.com", subject="ส่งแล้ว", body="x")
        cls.failed = outbox.queue_email(
            to="b@example.com", subject="ناموفق", body="x", acting_user=cls.owner
        )
        OutboxMessage.objects.filter(pk=cls.sent.pk).update(status=Status.SENT)
        OutboxMessage.objects.filter(pk=cls.failed.pk).update(
            status=Status.FAILED, attempts=5, last_error="451 later"
        )

    def test_it_lists_and_filters_for_an_administrator(self):
        self.login(self.admin)
        url = reverse("mail:list")
        # 6 for session, user, 2FA, session save; the page (its capped total rides along)
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, "ส่งแล้ว")
        self.assertContains(response, "ناموفق")
        response = self.client.get(url, {"status": "failed"})
        self.assertNotContains(response, "ส่งแล้ว")
        self.assertContains(response, "ناموفق")
        response = self.client.get(url, {"q": "a@example"}, headers={"HX-Request": "true"})
        self.assertContains(response, "ส่งแล้ว")
        self.assertNotContains(response, "<html")

    def test_it_is_for_administrators_only(self):
        for user in (self.owner, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(reverse("mail:list")).status_code, 403)
            detail = reverse("mail:detail", args=[self.failed.public_id])
            self.assertEqual(self.client.get(detail).status_code, 404)
            retry = reverse("mail:retry", args=[self.failed.public_id])
            self.assertEqual(self.client.post(retry).status_code, 404)
        self.failed.refresh_from_db()
        self.assertEqual(self.failed.status, Status.FAILED)

    def test_it_shows_the_delivery_log(self):
        DeliveryLog.objects.create(message=self.failed, attempt=5, outcome="failed", detail="451")
        self.login(self.admin)
        response = self.client.get(reverse("mail:detail", args=[self.failed.public_id]))
        self.assertContains(response, "451 later")
        self.assertContains(response, reverse("mail:retry", args=[self.failed.public_id]))

    def test_retry_queues_a_failed_email_again(self):
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("mail:retry", args=[self.failed.public_id]))
        self.assertRedirects(response, reverse("mail:detail", args=[self.failed.public_id]))
        self.failed.refresh_from_db()
        # Drained at once by the suite's immediate task backend (locmem email).
        self.assertEqual(self.failed.status, Status.SENT)
        outcomes = set(self.failed.log.values_list("outcome", flat=True))
        self.assertEqual(outcomes, {"requeued", "sent"})

    def test_retry_of_a_sent_email_changes_nothing(self):
        self.login(self.admin)
        self.client.post(reverse("mail:retry", args=[self.sent.public_id]))
        self.sent.refresh_from_db()
        self.assertEqual(self.sent.status, Status.SENT)
        self.assertFalse(self.sent.log.exists())

    def test_it_lists_every_channel_and_filters_by_channel(self):
        with self.settings(
            WEBHOOK_ENDPOINTS={"erp": {"url": "http://127.0.0.1:9/", "secret": "s"}}
        ):
            hook = core_outbox.queue_webhook(endpoint="erp", event="party.merged", data={})
        sms = core_outbox.queue_sms(to="+66812345678", text="ข้อความสั้น")
        self.login(self.admin)
        url = reverse("mail:list")
        self.client.get(url)  # the first request of a session also checks 2FA and saves it
        for channel in ("", "sms", "webhook", "email"):
            with self.assertNumQueries(3):  # session, user; the page with its capped total
                response = self.client.get(url, {"channel": channel})
            self.assertEqual(
                [m.pk for m in response.context["page"].object_list],
                {
                    "": [sms.pk, hook.pk, self.failed.pk, self.sent.pk],
                    "sms": [sms.pk],
                    "webhook": [hook.pk],
                    "email": [self.failed.pk, self.sent.pk],
                }[channel],
            )
        response = self.client.get(url, {"channel": "sms"})
        self.assertContains(response, "ข้อความสั้น")
        self.assertContains(response, "+66812345678")
        response = self.client.get(url, {"channel": "bogus"})  # ignored, not an error
        self.assertEqual(len(response.context["page"].object_list), 4)
        response = self.client.get(reverse("mail:detail", args=[hook.public_id]))
        self.assertContains(response, "party.merged")
        self.assertContains(response, "Webhook")

    def test_the_list_query_count_per_persona(self):
        url = reverse("mail:list")
        counts = {"admin": 3, "owner": None, "teammate": None, "readonly": None, "portal": None}
        self.assertListQueries(url, counts)
        self.assertListQueries(url, {"admin": 3}, params={"channel": "email", "sort": "created"})

    def test_the_retry_button_posts_the_one_form_with_its_token(self):
        self.login(self.admin)
        response = self.client.get(reverse("mail:list"))
        self.assertContains(response, 'id="retry-form"')
        self.assertContains(
            response, f'formaction="{reverse("mail:retry", args=[self.failed.public_id])}"'
        )
        self.assertNotContains(
            response, f'formaction="{reverse("mail:retry", args=[self.sent.public_id])}"'
        )
