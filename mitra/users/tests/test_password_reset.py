"""Password reset: the request does the same work for a known and an unknown address (one
queued task, the same queries, the same answer); the worker mails only the known one."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mitra.core.testing import BaseTestCase
from mitra.users.password_reset import send_password_reset

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class PasswordResetInTheBackgroundTest(BaseTestCase):
    def ask(self, email):
        with CaptureQueriesContext(connection) as queries:
            r = self.client.post(reverse("password_reset"), {"email": email})
        return r, [q["sql"].split(" ", 1)[0] for q in queries.captured_queries]

    def test_known_and_unknown_addresses_get_the_same_answer_and_work(self):
        with self.settings(TASKS=DB_TASKS):
            known, known_queries = self.ask("owner@example.com")
            unknown, unknown_queries = self.ask("nobody@example.com")
        self.assertRedirects(known, reverse("password_reset_done"), fetch_redirect_response=False)
        self.assertEqual(
            (known.status_code, known["Location"], known.content),
            (unknown.status_code, unknown["Location"], unknown.content),
        )
        self.assertEqual(known_queries, unknown_queries)
        self.assertEqual(len(mail.outbox), 0)  # nothing is sent by the request itself
        queued = list(DBTaskResult.objects.order_by("enqueued_at"))
        self.assertEqual(
            [t.task_path for t in queued], ["mitra.users.password_reset.send_password_reset"] * 2
        )
        # The worker's side: a link for the known address only.
        sent = [send_password_reset.call(**t.args_kwargs["kwargs"]) for t in queued]
        self.assertEqual(sent, [1, 0])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["owner@example.com"])
        self.assertIn("http://testserver/account/reset/", mail.outbox[0].body)

    def test_the_email_speaks_the_readers_language(self):
        self.owner.language = "th"
        self.owner.save()
        self.client.post(reverse("password_reset"), {"email": "owner@example.com"})
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn("Someone asked to reset", mail.outbox[0].body)

    def test_a_malformed_address_is_a_form_error_and_queues_nothing(self):
        with self.settings(TASKS=DB_TASKS):
            r = self.client.post(reverse("password_reset"), {"email": "not an address"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors)
        self.assertFalse(DBTaskResult.objects.exists())
