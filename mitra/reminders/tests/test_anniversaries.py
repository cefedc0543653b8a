import datetime as dt

import jdatetime

from mitra.core.testing import BaseTestCase
from mitra.parties.models import Kind, Party
from mitra.reminders import engine
from mitra.reminders.models import Reminder, ReminderPreference

from .helpers import at


class AnniversaryTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.teammate.calendar = "jalali"
        cls.teammate.language = "fa"
        cls.teammate.digits = "native"
        cls.teammate.save()
        # Same day's reminders only, to see exactly which day each arrives on.
        for user in (cls.owner, cls.teammate, cls.readonly):
            ReminderPreference.objects.create(user=user, lead_days=0)

    def person(self, manager=None, **dates):
        party = Party.objects.create(
            kind=Kind.PERSON, first_name="Somchai", last_name="Jaidee", owner=self.owner, **dates
        )
        if manager:
            party.managers.add(manager)
        return party

    def collect(self, day):
        engine.collect(now=at(*day), only=["birthdays", "weddings", "foundings"], force=True)
        return list(Reminder.objects.order_by("pk").values_list("user__username", "occurrence"))

    def test_a_jalali_user_is_reminded_on_the_jalali_anniversary(self):
        # Born 2 January 1990 = 12 Dey 1368. In 1403, 12 Dey is 1 January 2025.
        party = self.person(birth_date=dt.date(1990, 1, 2))
        party.managers.add(self.teammate, self.readonly)
        self.assertEqual(self.collect((2025, 1, 1)), [("teammate", at(2025, 1, 1, 0))])
        reminder = Reminder.objects.get()
        self.assertEqual(reminder.title, "تولد: Somchai Jaidee ۳۵ ساله می‌شود")
        self.assertEqual(reminder.url, f"/parties/{party.public_id}/")
        self.assertTrue(reminder.all_day)
        # The Gregorian (read-only persona) manager hears of it on 2 January.
        self.assertEqual(
            self.collect((2025, 1, 2)),
            [("teammate", at(2025, 1, 1, 0)), ("readonly", at(2025, 1, 2, 0))],
        )

    def test_30_esfand_falls_on_29_esfand_in_a_common_year(self):
        born = jdatetime.date(1370, 12, 30).togregorian()  # 1370 is a leap year
        self.person(manager=self.teammate, birth_date=born)
        leap = jdatetime.date(1403, 12, 30).togregorian()
        common = jdatetime.date(1404, 12, 29).togregorian()  # 1404 has no 30 Esfand
        self.assertEqual(
            self.collect(leap.timetuple()[:3]), [("teammate", at(*leap.timetuple()[:3], 0))]
        )
        reminders = self.collect(common.timetuple()[:3])
        self.assertEqual(reminders[-1], ("teammate", at(*common.timetuple()[:3], 0)))
        self.assertEqual(len(reminders), 2)

    def test_29_february_falls_on_28_february_in_a_common_year(self):
        self.person(manager=self.readonly, birth_date=dt.date(1988, 2, 29))
        self.assertEqual(self.collect((2025, 2, 28)), [("readonly", at(2025, 2, 28, 0))])
        self.assertEqual(len(self.collect((2028, 2, 29))), 2)

    def test_buddhist_era_users_are_reminded_on_the_gregorian_date(self):
        self.readonly.calendar = "buddhist"
        self.readonly.language = "th"
        self.readonly.save()
        self.person(manager=self.readonly, wedding_date=dt.date(2015, 6, 14))
        self.assertEqual(self.collect((2025, 6, 14)), [("readonly", at(2025, 6, 14, 0))])
        self.assertIn("10", Reminder.objects.get().title)

    def test_founding_days_go_to_the_owner_when_nobody_manages_the_company(self):
        Party.objects.create(
            kind=Kind.ORGANISATION, name="ACME", owner=self.owner, founded_on=dt.date(2000, 8, 1)
        )
        self.assertEqual(self.collect((2025, 8, 1)), [("owner", at(2025, 8, 1, 0))])
        self.assertEqual(Reminder.objects.get().title, "Founding day: ACME, 25 years")

    def test_it_skips_inactive_and_trashed_parties_and_the_birth_day_itself(self):
        self.person(manager=self.readonly, birth_date=dt.date(2025, 3, 3))
        gone = self.person(manager=self.readonly, birth_date=dt.date(1980, 3, 3))
        gone.is_active = False
        gone.save()
        self.assertEqual(self.collect((2025, 3, 3)), [])

    def test_lead_days_bring_the_reminder_earlier(self):
        ReminderPreference.objects.filter(user=self.readonly).update(lead_days=3)
        self.person(manager=self.readonly, birth_date=dt.date(1990, 5, 10))
        self.assertEqual(self.collect((2025, 5, 7)), [("readonly", at(2025, 5, 10, 0))])
