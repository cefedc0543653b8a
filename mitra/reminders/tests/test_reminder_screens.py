import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.reminders.models import Reminder, ReminderPreference


class ReminderScreensTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()

        def make(user, title, **kw):
            return Reminder.objects.create(
                user=user, source="birthdays", object_ref=title, occurrence=now, title=title, **kw
            )

        cls.due = make(cls.owner, "Call Somchai", url="/parties/")
        cls.snoozed = make(
            cls.owner, "Snoozed one", status="snoozed", snoozed_until=now + dt.timedelta(days=1)
        )
        cls.done = make(cls.owner, "Done one", status="done", done_at=now)
        cls.others = make(cls.teammate, "Teammate's own")

    def setUp(self):
        self.login(self.owner)

    def test_it_lists_due_snoozed_and_done(self):
        url = reverse("reminders:list")
        with self.assertNumQueries(8):  # 7 for the session, user and role; count; page
            response = self.client.get(url)
        self.assertContains(response, "Call Somchai")
        self.assertNotContains(response, "Snoozed one")
        self.assertNotContains(response, "Teammate&#x27;s own")
        self.assertContains(self.client.get(url, {"show": "snoozed"}), "Snoozed one")
        response = self.client.get(url, {"show": "done"})
        self.assertContains(response, "Done one")
        self.assertNotContains(response, "Call Somchai")

    def test_the_bell_counts_what_is_due(self):
        with self.assertNumQueries(7):  # 7 for the session, user and role; count
            response = self.client.get(reverse("reminders:bell"), headers={"HX-Request": "true"})
        self.assertContains(response, ">1<")
        self.assertContains(response, "1 reminder due")

    def test_the_bell_is_in_the_top_bar_without_costing_a_query(self):
        response = self.client.get(reverse("reminders:list"))
        self.assertContains(response, 'id="reminders-count"')
        self.assertContains(response, reverse("reminders:bell"))

    def test_mark_done(self):
        response = self.client.post(reverse("reminders:done", args=[self.due.public_id]))
        self.assertRedirects(response, reverse("reminders:list"))
        self.due.refresh_from_db()
        self.assertEqual(self.due.status, "done")
        self.assertIsNotNone(self.due.done_at)

    def test_mark_done_with_htmx_returns_the_row_and_refreshes_the_bell(self):
        response = self.client.post(
            reverse("reminders:done", args=[self.due.public_id]), headers={"HX-Request": "true"}
        )
        self.assertEqual(response["HX-Trigger"], "remindersChanged")
        self.assertContains(response, f'id="reminder-{self.due.public_id}"')
        self.assertContains(response, reverse("reminders:reopen", args=[self.due.public_id]))

    def test_snooze_for_an_hour_until_tomorrow_or_next_week(self):
        self.owner.time_zone = "Asia/Bangkok"
        self.owner.save()
        url = reverse("reminders:snooze", args=[self.due.public_id])
        before = timezone.now()
        self.client.post(url, {"until": "hour"})
        self.due.refresh_from_db()
        self.assertEqual(self.due.status, "snoozed")
        self.assertAlmostEqual((self.due.snoozed_until - before).total_seconds(), 3600, delta=60)
        self.client.post(url, {"until": "tomorrow"})
        self.due.refresh_from_db()
        local = self.due.snoozed_until.astimezone(self.owner.zoneinfo)
        self.assertEqual((local.hour, local.minute), (9, 0))
        self.assertEqual(
            local.date(), before.astimezone(self.owner.zoneinfo).date() + dt.timedelta(days=1)
        )
        self.client.post(url, {"until": "week"})
        self.due.refresh_from_db()
        local = self.due.snoozed_until.astimezone(self.owner.zoneinfo)
        self.assertEqual(
            local.date(), before.astimezone(self.owner.zoneinfo).date() + dt.timedelta(days=7)
        )

    def test_a_bad_snooze_changes_nothing(self):
        self.client.post(reverse("reminders:snooze", args=[self.due.public_id]), {"until": "x"})
        self.due.refresh_from_db()
        self.assertEqual(self.due.status, "new")

    def test_reopen(self):
        self.client.post(reverse("reminders:reopen", args=[self.done.public_id]))
        self.done.refresh_from_db()
        self.assertEqual((self.done.status, self.done.done_at), ("new", None))

    def test_somebody_elses_reminder_is_a_404_even_for_an_administrator(self):
        for user in (self.owner, self.admin, self.outsider):
            self.login(user)
            for name in ("done", "snooze", "reopen"):
                url = reverse(f"reminders:{name}", args=[self.others.public_id])
                self.assertEqual(self.client.post(url, {"until": "hour"}).status_code, 404)
        self.others.refresh_from_db()
        self.assertEqual(self.others.status, "new")

    def test_only_post_changes_a_reminder(self):
        url = reverse("reminders:done", args=[self.due.public_id])
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_preferences(self):
        url = reverse("reminders:preferences")
        self.assertContains(self.client.get(url), "Birthdays")
        response = self.client.post(
            url, {"delivery": "email", "lead_days": "3", "muted_sources": ["weddings"]}
        )
        self.assertRedirects(response, reverse("reminders:list"))
        pref = ReminderPreference.objects.get(user=self.owner)
        self.assertEqual(
            (pref.delivery, pref.lead_days, pref.muted_sources), ("email", 3, ["weddings"])
        )

    def test_bad_preferences_change_nothing(self):
        url = reverse("reminders:preferences")
        response = self.client.post(url, {"delivery": "pigeon", "lead_days": "500"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.assertFalse(ReminderPreference.objects.filter(user=self.owner).exists())


class ReminderListQueriesTest(BaseTestCase):
    def test_the_list_query_count_per_persona(self):
        now = timezone.now()
        for user in (self.owner, self.teammate):
            Reminder.objects.create(
                user=user, source="birthdays", object_ref="x", occurrence=now, title="Due"
            )
        url = reverse("reminders:list")
        counts = {"owner": 4, "teammate": 4, "readonly": 3, "admin": 3}
        self.assertListQueries(url, counts)
        self.assertListQueries(url, {"owner": 3}, params={"show": "done"})

    def test_an_empty_tab_says_so_and_keeps_the_tab(self):
        self.login(self.owner)
        response = self.client.get(reverse("reminders:list"), {"show": "snoozed"})
        self.assertContains(response, "Nothing is snoozed.")
        self.assertContains(response, 'data-list-empty="empty"')
