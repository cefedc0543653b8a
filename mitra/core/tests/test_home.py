"""The home page: my tasks due today, my appointments, my reminders, parties I changed."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.activities.tests.factories import make_appointment, make_task
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Party
from mitra.reminders.models import Reminder

URL = reverse("home")


def edit_as(user, party):
    party._history_user = user
    party.save()


class HomePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.today = make_task(cls.owner, title="Call Somchai", assignee=cls.owner, due_at=now)
        cls.late = make_task(
            cls.owner, title="Send the quote", assignee=cls.owner, due_at=now - dt.timedelta(days=3)
        )
        make_task(
            cls.owner, title="Next month", assignee=cls.owner, due_at=now + dt.timedelta(days=30)
        )
        make_task(cls.owner, title="Already done", assignee=cls.owner, due_at=now, status="done")
        make_task(cls.teammate, title="Teammate's job", assignee=cls.teammate, due_at=now)
        make_appointment(cls.owner, now + dt.timedelta(hours=2), subject="Pump demo")
        make_appointment(cls.owner, now + dt.timedelta(days=3), subject="Quarterly review")
        make_appointment(cls.owner, now - dt.timedelta(days=2), subject="Last week's")
        make_appointment(cls.owner, now + dt.timedelta(days=40), subject="Far away")
        make_appointment(
            cls.teammate, now + dt.timedelta(hours=3), subject="Alpha planning", participants=[]
        )
        Reminder.objects.create(
            user=cls.owner, source="birthdays", object_ref="x", occurrence=now,
            title="Somchai's birthday", url="/parties/",
        )  # fmt: skip
        Reminder.objects.create(
            user=cls.owner, source="birthdays", object_ref="y", occurrence=now,
            title="Old news", status="done", done_at=now,
        )  # fmt: skip
        cls.acme = Party.objects.create(owner=cls.owner, kind="organisation", name="Acme Co")
        cls.siam = Party.objects.create(owner=cls.owner, kind="organisation", name="Siam Pumps")
        edit_as(cls.owner, cls.acme)
        edit_as(cls.owner, cls.siam)
        edit_as(cls.owner, cls.acme)  # changed again: listed once, first

    def panel(self, response, key):
        return next(p for p in response.context["panels"] if p.key == key)

    def labels(self, response, key):
        return [i.label for i in self.panel(response, key).items]

    def test_the_owner_sees_their_day(self):
        self.login(self.owner)
        r = self.client.get(URL)
        self.assertEqual(self.labels(r, "tasks"), ["Send the quote", "Call Somchai"])
        self.assertEqual([i.alert for i in self.panel(r, "tasks").items], [True, True])
        self.assertEqual(self.labels(r, "appointments"), ["Pump demo", "Quarterly review"])
        self.assertEqual(self.labels(r, "reminders"), ["Somchai's birthday"])
        self.assertEqual(self.labels(r, "parties"), ["Acme Co", "Siam Pumps"])
        self.assertContains(r, reverse("activities:task_detail", args=[self.today.public_id]))
        self.assertContains(r, reverse("parties:detail", args=[self.acme.public_id]))
        self.assertContains(r, reverse("activities:tasks"))  # the link to the full list

    def test_the_home_page_costs_one_query_per_panel(self):
        self.login(self.owner)
        self.client.get(URL)
        # Session, user; tasks, appointments, reminders; parties' history and the parties.
        with self.assertNumQueries(7):
            self.client.get(URL)
        for i in range(10):
            make_task(self.owner, title=f"More {i}", assignee=self.owner, due_at=timezone.now())
            make_appointment(self.owner, timezone.now() + dt.timedelta(hours=i + 1))
        with self.assertNumQueries(7):
            r = self.client.get(URL)
        self.assertEqual(len(self.panel(r, "tasks").items), 5)

    def test_an_outsider_sees_none_of_alphas(self):
        # The outsider once edited Acme, which now belongs to Alpha only.
        edit_as(self.outsider, self.acme)
        self.login(self.outsider)
        r = self.client.get(URL)
        for key in ("tasks", "appointments", "reminders", "parties"):
            self.assertEqual(self.labels(r, key), [], key)
        for text in ("Call Somchai", "Pump demo", "Somchai's birthday", "Acme Co"):
            self.assertNotContains(r, text)

    def test_empty_panels_say_so(self):
        self.login(self.readonly)
        r = self.client.get(URL)
        self.assertContains(r, "No task is due today.")
        self.assertContains(r, "No appointments in the coming week.")
        self.assertContains(r, "data-home-empty", count=4)

    def test_a_user_without_a_module_gets_no_panel_for_it(self):
        self.login(self.portal)
        r = self.client.get(URL)
        self.assertEqual([p.key for p in r.context["panels"]], ["reminders"])
