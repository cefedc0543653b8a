import datetime as dt

from mitra.core.testing import BaseTestCase
from mitra.reminders import engine
from mitra.reminders.models import Reminder, ReminderPreference
from mitra.reminders.registry import Due

from .helpers import at, source


class EngineTest(BaseTestCase):
    def test_it_never_duplicates_a_reminder_when_collecting_twice(self):
        due = Due(self.owner.pk, "tasks", "7", at(2025, 5, 1, 9), "Call Somchai", "/x/")
        with source("tasks", [due, due]):
            engine.collect(now=at(2025, 5, 1, 10), only=["tasks"])
            engine.collect(now=at(2025, 5, 1, 10, 1), only=["tasks"])
        reminder = Reminder.objects.get()
        self.assertEqual(
            (reminder.user, reminder.source, reminder.object_ref, reminder.title),
            (self.owner, "tasks", "7", "Call Somchai"),
        )
        self.assertEqual(reminder.occurrence, at(2025, 5, 1, 9))

    def test_a_new_occurrence_of_the_same_thing_is_a_new_reminder(self):
        items = [
            Due(self.owner.pk, "tasks", "7", dt.date(2025, 5, 1), "a"),
            Due(self.owner.pk, "tasks", "7", dt.date(2025, 5, 2), "a"),
        ]
        with source("tasks", items):
            engine.collect(now=at(2025, 5, 2), only=["tasks"])
        self.assertEqual(Reminder.objects.count(), 2)
        self.assertTrue(all(r.all_day for r in Reminder.objects.all()))
        self.assertEqual(Reminder.objects.last().due_date, dt.date(2025, 5, 2))

    def test_it_waits_for_each_users_lead_time(self):
        ReminderPreference.objects.create(user=self.teammate, lead_days=7)
        items = [
            Due(self.owner.pk, "appointments", "1", at(2025, 5, 5, 9), "Visit"),
            Due(self.teammate.pk, "appointments", "1", at(2025, 5, 5, 9), "Visit"),
        ]
        with source("appointments", items):
            engine.collect(now=at(2025, 5, 1), only=["appointments"])
            self.assertEqual(
                list(Reminder.objects.values_list("user", flat=True)), [self.teammate.pk]
            )
            engine.collect(now=at(2025, 5, 4, 10), only=["appointments"])
        self.assertEqual(Reminder.objects.count(), 2)

    def test_muted_sources_and_inactive_users_get_nothing(self):
        ReminderPreference.objects.create(user=self.owner, muted_sources=["news"])
        self.readonly.is_active = False
        self.readonly.save()
        items = [
            Due(self.owner.pk, "news", "1", at(2025, 5, 1), "Party on Friday"),
            Due(self.readonly.pk, "news", "1", at(2025, 5, 1), "Party on Friday"),
            Due(self.teammate.pk, "news", "1", at(2025, 5, 1), "Party on Friday"),
        ]
        with source("news", items):
            engine.collect(now=at(2025, 5, 1, 13), only=["news"])
        self.assertEqual(list(Reminder.objects.values_list("user", flat=True)), [self.teammate.pk])

    def test_auto_resolving_sources_close_what_they_no_longer_report(self):
        current = [Due(self.owner.pk, "tasks", "1", at(2025, 5, 1), "Task 1")]
        with source("tasks", lambda now, until: current, auto_resolve=True):
            engine.collect(now=at(2025, 5, 1, 13))
            current.clear()
            engine.collect(now=at(2025, 5, 1, 14))
        self.assertEqual(Reminder.objects.get().status, Reminder.Status.DONE)

    def test_a_failing_source_does_not_stop_the_others(self):
        def broken(now, until):
            raise RuntimeError("boom")

        good = [Due(self.owner.pk, "good", "1", at(2025, 5, 1), "ok")]
        with (
            source("broken", broken),
            source("good", good),
            self.assertLogs("mitra.reminders.engine", "ERROR"),
        ):
            report = engine.collect(now=at(2025, 5, 1, 13), only=["broken", "good"])
        self.assertEqual(report, {"good": 1})
        self.assertEqual(Reminder.objects.count(), 1)

    def test_throttled_sources_run_once_per_period(self):
        calls = []

        def counting(now, until):
            calls.append(now)
            return []

        with source("slow", counting, every_seconds=3600):
            engine.collect(now=at(2025, 5, 1, 10))
            engine.collect(now=at(2025, 5, 1, 10, 30))
            engine.collect(now=at(2025, 5, 1, 11, 1))
        self.assertEqual(len(calls), 2)

    def test_expired_snoozes_come_back(self):
        reminder = Reminder.objects.create(
            user=self.owner, source="x", object_ref="1", occurrence=at(2025, 5, 1), title="t",
            status=Reminder.Status.SNOOZED, snoozed_until=at(2025, 5, 1, 13),
        )  # fmt: skip
        engine.collect(now=at(2025, 5, 1, 14), only=["none"])
        reminder.refresh_from_db()
        self.assertEqual((reminder.status, reminder.snoozed_until), (Reminder.Status.NEW, None))


class LeadTimeTest(BaseTestCase):
    def test_with_no_lead_time_what_is_due_today_shows_today(self):
        ReminderPreference.objects.create(user=self.owner, lead_days=0)
        items = [
            Due(self.owner.pk, "appointments", "1", at(2025, 5, 1, 15), "Later today"),
            Due(self.owner.pk, "appointments", "2", at(2025, 5, 2, 9), "Tomorrow"),
        ]
        with source("appointments", items):
            engine.collect(now=at(2025, 5, 1, 14, 45), only=["appointments"])
        self.assertEqual(list(Reminder.objects.values_list("title", flat=True)), ["Later today"])

    def test_days_are_counted_in_the_users_time_zone(self):
        self.owner.time_zone = "Asia/Tehran"  # UTC+3:30
        self.owner.save()
        ReminderPreference.objects.create(user=self.owner, lead_days=0)
        items = [Due(self.owner.pk, "tasks", "1", at(2025, 5, 2, 1), "Early on the 2nd, Tehran")]
        with source("tasks", items):
            engine.collect(now=at(2025, 5, 1, 19), only=["tasks"])  # 22:30 on the 1st there
            self.assertFalse(Reminder.objects.exists())
            engine.collect(now=at(2025, 5, 1, 21), only=["tasks"])  # 00:30 on the 2nd
        self.assertTrue(Reminder.objects.exists())
