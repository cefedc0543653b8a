"""On a phone the month calendar is an agenda: the days that have appointments, in order."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .factories import make_appointment


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


class MonthAgendaTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_appointment(cls.owner, aware(2025, 3, 21, 10), subject="Pump demo, Korat")
        make_appointment(cls.owner, aware(2025, 3, 21, 15), subject="Quote follow-up")
        for i in range(6):  # more than a month cell shows
            make_appointment(cls.owner, aware(2025, 3, 25, 8 + i), subject=f"Round {i}")
        make_appointment(cls.outsider, aware(2025, 3, 22, 11), subject="Beta secret")

    def agenda(self, persona, **params):
        self.login(persona)
        r = self.client.get(reverse("activities:calendar_month"), {"date": "2025-03-10", **params})
        html = r.content.decode()
        return r, html[html.index('class="cal-agenda') :]

    def test_the_agenda_lists_the_days_with_appointments_in_order(self):
        r, agenda = self.agenda(self.owner)
        days = [d.date for d in r.context["agenda"]]
        self.assertEqual(days, [dt.date(2025, 3, 21), dt.date(2025, 3, 25)])
        self.assertLess(agenda.index("Pump demo"), agenda.index("Quote follow-up"))
        self.assertLess(agenda.index("Quote follow-up"), agenda.index("Round 0"))
        # Every appointment of a busy day, not just the four a grid cell holds.
        for i in range(6):
            self.assertIn(f"Round {i}", agenda)
        # The agenda's events cannot be dragged (the grid's can): one move target each.
        self.assertNotIn("data-move-url", agenda)
        self.assertIn("data-move-url", r.content.decode())

    def test_the_agenda_follows_the_users_calendar(self):
        self.owner.calendar = "jalali"
        self.owner.save()
        _r, agenda = self.agenda(self.owner, date="2025-03-25")
        self.assertIn("Farvardin 1404", agenda)  # 21 March 2025 is 1 Farvardin 1404
        self.assertTrue(re.search(r'cal-daynum"[^>]*>1<', agenda))

    def test_an_outsider_sees_none_of_alphas_days(self):
        r, agenda = self.agenda(self.outsider, who="team")
        self.assertIn("Beta secret", agenda)
        self.assertNotIn("Pump demo", agenda)
        self.assertEqual([d.date for d in r.context["agenda"]], [dt.date(2025, 3, 22)])

    def test_a_month_without_appointments_says_so(self):
        _r, agenda = self.agenda(self.teammate)
        self.assertIn("No appointments this month.", agenda)
