import datetime as dt

from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .. import actions, reminder_sources
from .factories import make_appointment, make_news, make_note, make_party, make_task


class ReminderSourcesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.now = timezone.now()
        cls.party = make_party(cls.owner, "Lead Co", team=cls.p.alpha)

    def collect(self, func, **kw):
        return list(func(now=self.now, until=kw.get("until", self.now)))

    def test_overdue_tasks_go_to_the_assignee_until_closed(self):
        task = make_task(
            self.owner,
            None,
            "Call back",
            assignee=self.teammate,
            due_at=self.now - dt.timedelta(hours=2),
        )
        make_task(
            self.owner,
            None,
            "Later",
            assignee=self.teammate,
            due_at=self.now + dt.timedelta(days=3),
        )
        items = self.collect(reminder_sources.overdue_tasks)
        self.assertEqual(
            [(i.user_id, i.object_ref) for i in items], [(self.teammate.pk, f"task:{task.pk}")]
        )
        self.assertIn("Call back", items[0].title)
        self.assertTrue(items[0].url.endswith(f"/tasks/{task.public_id}/"))
        actions.close_task(task, acting_user=self.owner, result="ok")
        self.assertEqual(self.collect(reminder_sources.overdue_tasks), [])

    def test_task_titles_read_in_the_users_language(self):
        self.teammate.language = "th"
        self.teammate.save()
        make_task(
            self.owner,
            None,
            "โทรกลับ",
            assignee=self.teammate,
            due_at=self.now - dt.timedelta(hours=1),
        )
        (item,) = self.collect(reminder_sources.overdue_tasks)
        self.assertIn("โทรกลับ", item.title)

    def test_the_next_follow_up_date_becomes_a_whole_day_reminder(self):
        today = timezone.localdate(self.now)
        actions.record_followup(self.party, acting_user=self.owner, result="x", next_date=today)
        (item,) = self.collect(reminder_sources.followups_due)
        self.assertEqual((item.user_id, item.due_at), (self.owner.pk, today))
        self.assertTrue(item.all_day)
        # A newer follow-up replaces the old one's date.
        actions.record_followup(
            self.party, acting_user=self.owner, result="y", next_date=today + dt.timedelta(days=20)
        )
        self.assertEqual(self.collect(reminder_sources.followups_due), [])

    def test_appointments_remind_each_participant_at_their_reminder_time(self):
        appt = make_appointment(self.owner, start=self.now + dt.timedelta(minutes=10),
                                participants=[self.owner, self.teammate], reminder_minutes=15)  # fmt: skip
        make_appointment(self.owner, start=self.now + dt.timedelta(hours=3), reminder_minutes=15)
        items = self.collect(
            reminder_sources.upcoming_appointments, until=self.now + dt.timedelta(days=7)
        )
        self.assertEqual({i.user_id for i in items}, {self.owner.pk, self.teammate.pk})
        self.assertEqual({i.object_ref for i in items}, {f"appointment:{appt.pk}"})

    def test_news_goes_to_its_audience_but_not_the_author(self):
        an_hour_ago = self.now - dt.timedelta(hours=1)
        make_news(
            self.teammate, "Alpha meeting", audience_team=self.p.alpha, published_at=an_hour_ago
        )
        make_news(self.outsider, "For everyone", published_at=an_hour_ago)
        items = self.collect(reminder_sources.news_posts)
        alpha = {i.user_id for i in items if "Alpha meeting" in i.title}
        everyone = {i.user_id for i in items if "For everyone" in i.title}
        self.assertEqual(alpha, {self.owner.pk, self.readonly.pk})
        self.assertNotIn(self.outsider.pk, everyone)
        self.assertIn(self.admin.pk, everyone)
        self.assertNotIn(self.portal.pk, everyone)

    def test_unread_notes_remind_the_recipient_until_read(self):
        note = make_note(self.owner, "Stock count", recipients=[self.teammate])
        (item,) = self.collect(reminder_sources.unread_notes)
        self.assertEqual((item.user_id, item.object_ref), (self.teammate.pk, f"note:{note.pk}"))
        actions.mark_note_read(note, acting_user=self.teammate)
        self.assertEqual(self.collect(reminder_sources.unread_notes), [])

    def test_a_personal_note_reminds_its_owner_on_the_day(self):
        make_note(self.owner, "Renew the licence", remind_on=timezone.localdate(self.now))
        (item,) = self.collect(reminder_sources.unread_notes)
        self.assertEqual(item.user_id, self.owner.pk)

    def test_the_engine_stores_each_reminder_once(self):
        from mitra.reminders import engine
        from mitra.reminders.models import Reminder

        make_task(
            self.owner,
            None,
            "Overdue",
            assignee=self.owner,
            due_at=self.now - dt.timedelta(hours=1),
        )
        engine.collect(now=self.now, force=True)
        engine.collect(now=self.now, force=True)
        self.assertEqual(Reminder.objects.filter(source="activities.tasks").count(), 1)
