"""J5: two people open the same edit form; the second, stale save is refused and says why.

For every edit form: the first person saves a new name; the second posts the form they
opened before, changing only the comments. Nothing of theirs is saved, the first person's
name stays, the page shows what changed and keeps their typing, and saving the form as
shown again keeps both changes.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.core.tests.formpage import NoLostUpdateMixin, form_values

from ..models import News
from .factories import (
    make_appointment,
    make_followup,
    make_interaction,
    make_note,
    make_party,
    make_task,
)


class ActivityEditVersionTests(NoLostUpdateMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", team=cls.p.alpha)

    def test_interaction_form(self):
        obj = make_interaction(self.owner, self.party, team=self.p.alpha)
        url = reverse("activities:interaction_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "subject", "notes")

    def test_followup_form(self):
        obj = make_followup(self.owner, self.party, result="Interested")
        url = reverse("activities:followup_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "result", "led_to_sale", value="on")

    def test_appointment_form(self):
        obj = make_appointment(self.owner, party=self.party, team=self.p.alpha)
        url = reverse("activities:appointment_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "subject", "description")

    def test_task_form(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha)
        url = reverse("activities:task_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "title", "description")

    def test_task_form_between_two_colleagues(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha)
        url = reverse("activities:task_edit", args=[obj.public_id])
        self.assert_stale_form_refused(
            obj, url, "title", "description", first=self.teammate, second=self.owner
        )

    def test_note_form(self):
        obj = make_note(self.owner, party=self.party, title="Invoice")
        url = reverse("activities:note_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "title", "body")

    def test_news_form(self):
        obj = News.objects.create(
            owner=self.owner, title="Fair", body="See you", published_at=timezone.now()
        )
        url = reverse("activities:news_edit", args=[obj.public_id])
        self.assert_stale_form_refused(obj, url, "title", "body")

    def test_a_stale_post_twice_is_refused_twice(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha)
        url = reverse("activities:task_edit", args=[obj.public_id])
        self.login(self.owner)
        stale = form_values(self.client.get(url).content)
        fresh = dict(stale, title="New title")
        self.assertEqual(self.client.post(url, fresh).status_code, 302)
        stale["description"] = "Mine"
        for _attempt in range(2):
            self.assert_stale_post_changes_nothing(obj, url, stale, "title")
        self.assertEqual(obj.description, "")

    def test_a_form_without_version_saves_as_before(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha)
        url = reverse("activities:task_edit", args=[obj.public_id])
        self.login(self.owner)
        data = form_values(self.client.get(url).content)
        del data["version"]
        data["title"] = "Scripted"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        obj.refresh_from_db()
        self.assertEqual((obj.title, obj.version), ("Scripted", 2))

    def test_every_save_bumps_the_version_and_history_keeps_it(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha, due_at=None)
        self.assertEqual(obj.version, 1)
        url = reverse("activities:task_edit", args=[obj.public_id])
        self.login(self.owner)
        data = form_values(self.client.get(url).content)
        data["due_at_0"] = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        self.assertEqual(self.client.post(url, data).status_code, 302)
        obj.refresh_from_db()
        self.assertEqual(obj.version, 2)
        self.assertEqual(obj.history.first().version, 2)

    def test_code_list_form(self):
        from mitra.users.models import User

        from ..models import Lookup, LookupKind

        admin2 = User.objects.create_superuser("admin2", "admin2@example.com", self.p.password)
        obj = Lookup.objects.create(module="interactions", kind=LookupKind.RESULT, name="Sold")
        url = reverse("activities:lookup_edit", args=[obj.public_id])
        self.assert_stale_form_refused(
            obj, url, "name", "is_success", second=admin2, value="on", history=False
        )
