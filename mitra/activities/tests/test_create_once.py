"""Double-submitting a create form creates once; an API POST repeated with the same
Idempotency-Key creates once and answers the first response again."""

import datetime as dt
import re
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from mitra.core import idempotency
from mitra.core.idempotency import IdempotencyKey
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Party
from mitra.parties.tests.test_create import form_data as party_form_data

from ..models import Appointment, Interaction, Note, Task
from .factories import make_party

API = "/api/v1"


def token_of(response):
    match = re.search(r'name="form_token" value="([0-9a-f]{32})"', response.content.decode())
    assert match, "the create form has no one-time token"
    return match.group(1)


class CreateFormOnceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def twice(self, url, data, model):
        """Open the create form, post it twice with its token: one record, both answers
        lead to it."""
        self.login(self.owner)
        data = {**data, "form_token": token_of(self.client.get(url))}
        before = model.objects.count()
        first = self.client.post(url, data)
        self.assertEqual(first.status_code, 302, getattr(first, "context", None))
        second = self.client.post(url, data, follow=True)
        self.assertEqual(model.objects.count(), before + 1)
        self.assertEqual(second.redirect_chain[0][0], first["Location"])
        self.assertContains(second, "This form was already saved")
        return first

    def test_the_task_form_creates_once(self):
        first = self.twice(
            reverse("activities:task_create"),
            {"title": "Yearly check", "parties": self.party.code, "assignee": self.owner.pk,
             "due_at_0": "2026-05-01", "due_at_1": "", "priority": "2", "status": "not_started"},
            Task,
        )  # fmt: skip
        task = Task.objects.get(title="Yearly check")
        self.assertEqual(
            first["Location"], reverse("activities:task_detail", args=[task.public_id])
        )

    def test_the_appointment_form_creates_once(self):
        self.twice(
            reverse("activities:appointment_create"),
            {"subject": "Demo", "start_0": "2026-03-02", "start_1": "10:30", "end_0": "2026-03-02",
             "end_1": "11:30", "participants": [self.owner.pk], "parties": self.party.code,
             "reminder_minutes": "30"},
            Appointment,
        )  # fmt: skip

    def test_the_note_form_creates_once(self):
        self.twice(
            reverse("activities:note_create"),
            {"title": "Stock count", "body": "Friday 16:00", "recipients": [self.teammate.pk]},
            Note,
        )

    def test_the_interaction_form_creates_once(self):
        self.twice(
            reverse("activities:interaction_create"),
            {"subject": "Asked for a quotation", "parties": self.party.code, "channel": "email",
             "direction": "in", "occurred_at_0": "2026-02-03", "occurred_at_1": "14:30",
             "user": self.owner.pk},
            Interaction,
        )  # fmt: skip

    def test_the_party_form_creates_once(self):
        self.twice(
            reverse("parties:create"), party_form_data(name="Bangna Steel Co", code=""), Party
        )

    def test_a_form_with_errors_keeps_its_token_and_the_corrected_form_creates(self):
        self.login(self.owner)
        url = reverse("activities:task_create")
        token = token_of(self.client.get(url))
        data = {"title": "", "priority": "1", "status": "not_started", "form_token": token}
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(token_of(r), token)  # the same form, the same token
        r = self.client.post(url, {**data, "title": "Fixed"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Task.objects.filter(title="Fixed").count(), 1)

    def test_two_opened_forms_create_two_records(self):
        self.login(self.owner)
        url = reverse("activities:task_create")
        for token in (token_of(self.client.get(url)), token_of(self.client.get(url))):
            self.client.post(url, {"title": "Twice on purpose", "priority": "1",
                                   "status": "not_started", "form_token": token})  # fmt: skip
        self.assertEqual(Task.objects.filter(title="Twice on purpose").count(), 2)

    def test_a_repeat_while_the_first_is_under_way_creates_nothing(self):
        self.login(self.owner)
        url = reverse("activities:task_create")
        token = token_of(self.client.get(url))
        IdempotencyKey.objects.create(user=self.owner, key=f"form:{token}", path=url)
        with mock.patch.object(idempotency, "WAIT_SECONDS", 0):
            r = self.client.post(url, {"title": "Racing", "priority": "1",
                                       "status": "not_started", "form_token": token})  # fmt: skip
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Task.objects.filter(title="Racing").exists())

    def test_another_users_token_is_not_theirs(self):
        self.login(self.owner)
        url = reverse("activities:task_create")
        token = token_of(self.client.get(url))
        self.client.post(url, {"title": "Mine", "priority": "1", "status": "not_started",
                               "form_token": token})  # fmt: skip
        self.login(self.teammate)
        self.client.post(url, {"title": "Theirs", "priority": "1", "status": "not_started",
                               "form_token": token})  # fmt: skip
        self.assertEqual(Task.objects.filter(title__in=["Mine", "Theirs"]).count(), 2)

    def test_edit_forms_have_no_token(self):
        self.login(self.owner)
        task = Task.objects.create(owner=self.owner, title="Old")
        r = self.client.get(reverse("activities:task_edit", args=[task.public_id]))
        self.assertNotContains(r, 'name="form_token"')


class ApiIdempotencyKeyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def post(self, path, data, key):
        return self.client.post(
            f"{API}/{path}/",
            data,
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    def test_a_repeated_post_creates_once_and_answers_the_first_response(self):
        self.login(self.owner)
        data = {"title": "Check", "parties": [str(self.party.public_id)]}
        first = self.post("tasks", data, "k-1")
        self.assertEqual(first.status_code, 201, first.content)
        second = self.post("tasks", data, "k-1")
        self.assertEqual(second.status_code, 201)
        self.assertEqual(second.json(), first.json())
        self.assertEqual(second["Idempotent-Replayed"], "true")
        self.assertEqual(Task.objects.filter(title="Check").count(), 1)
        # Another key is another request.
        self.assertEqual(self.post("tasks", data, "k-2").status_code, 201)
        self.assertEqual(Task.objects.filter(title="Check").count(), 2)

    def test_keys_are_per_user(self):
        self.login(self.owner)
        self.post("tasks", {"title": "Owner's"}, "same")
        self.login(self.teammate)
        r = self.post("tasks", {"title": "Teammate's"}, "same")
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["title"], "Teammate's")

    def test_parties_and_their_rows_are_created_once(self):
        self.login(self.owner)
        r1 = self.post("parties", {"kind": "organisation", "name": "Key Co"}, "p-1")
        r2 = self.post("parties", {"kind": "organisation", "name": "Key Co"}, "p-1")
        self.assertEqual((r1.status_code, r2.status_code), (201, 201))
        self.assertEqual(Party.objects.filter(name="Key Co").count(), 1)
        row = {"party": r1.json()["id"], "kind": "email", "value": "a@key.example"}
        self.post("contact-points", row, "cp-1")
        self.post("contact-points", row, "cp-1")
        self.assertEqual(Party.objects.get(name="Key Co").contact_points.count(), 1)

    def test_a_failed_request_does_not_use_up_the_key(self):
        self.login(self.owner)
        self.assertEqual(self.post("tasks", {"title": ""}, "retry").status_code, 400)
        self.assertEqual(self.post("tasks", {"title": "Now right"}, "retry").status_code, 201)
        self.assertEqual(Task.objects.filter(title="Now right").count(), 1)

    def test_a_key_used_for_another_path_is_refused(self):
        self.login(self.owner)
        self.post("tasks", {"title": "Check"}, "reuse")
        r = self.post("notes", {"body": "Hello"}, "reuse")
        self.assertEqual(r.status_code, 422)
        self.assertFalse(Note.objects.exists())

    def test_a_repeat_while_the_first_is_under_way_is_a_conflict(self):
        self.login(self.owner)
        IdempotencyKey.objects.create(user=self.owner, key="api:busy", path=f"{API}/tasks/")
        with mock.patch.object(idempotency, "WAIT_SECONDS", 0):
            r = self.post("tasks", {"title": "Busy"}, "busy")
        self.assertEqual(r.status_code, 409)
        self.assertFalse(Task.objects.filter(title="Busy").exists())

    def test_a_key_older_than_a_day_is_new_again(self):
        self.login(self.owner)
        self.post("tasks", {"title": "Daily"}, "daily")
        IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
        self.assertEqual(self.post("tasks", {"title": "Daily"}, "daily").status_code, 201)
        self.assertEqual(Task.objects.filter(title="Daily").count(), 2)

    def test_the_daily_clean_up_forgets_keys_past_a_day_only(self):
        from mitra.core.tasks import clear_idempotency_keys

        self.login(self.owner)
        self.post("tasks", {"title": "Old"}, "old")
        IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
        self.post("tasks", {"title": "New"}, "new")
        clear_idempotency_keys.call()
        self.assertEqual(list(IdempotencyKey.objects.values_list("key", flat=True)), ["api:new"])

    def test_an_outsider_cannot_replay_through_someone_elses_key(self):
        self.login(self.owner)
        self.post("tasks", {"title": "Private"}, "mine")
        self.login(self.outsider)
        r = self.post("tasks", {"title": "Outsider's"}, "mine")
        self.assertEqual(r.json()["title"], "Outsider's")
