import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .factories import make_appointment


def aware(*args, tz=None):
    return timezone.make_aware(dt.datetime(*args), tz)


class CalendarViewsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = make_appointment(cls.owner, aware(2025, 3, 21, 10), subject="Pump demo, Korat")
        cls.teams = make_appointment(cls.teammate, aware(2025, 3, 22, 14), subject="Alpha planning")
        cls.private = make_appointment(
            cls.teammate, aware(2025, 3, 23, 9), subject="Dentist", is_private=True
        )
        cls.beta = make_appointment(cls.outsider, aware(2025, 3, 21, 11), subject="Beta secret")

    def month(self, persona, **params):
        self.login(persona)
        return self.client.get(reverse("activities:calendar_month"), params)

    def use(self, user, calendar, language="en", digits="latin"):
        user.calendar, user.language, user.digits = calendar, language, digits
        user.save()

    def test_the_jalali_month_grid_of_farvardin_1404(self):
        self.use(self.owner, "jalali", "fa", "native")
        response = self.month(self.owner, date="2025-03-25")
        self.assertEqual(response.context["title"], "فروردین ۱۴۰۴")
        weeks = response.context["weeks"]
        days = [d for w in weeks for d in w if d]
        self.assertEqual(len(days), 31)
        # Persian weeks start on Saturday; 1 Farvardin 1404 is a Friday: the last column.
        self.assertEqual(response.context["weekdays"][0], "شنبه")
        self.assertEqual([d is None for d in weeks[0]], [True] * 6 + [False])
        self.assertEqual(weeks[0][6].date, dt.date(2025, 3, 21))
        self.assertEqual(weeks[0][6].label, "۱")
        self.assertEqual(days[-1].date, dt.date(2025, 4, 20))
        self.assertEqual(days[-1].label, "۳۱")
        self.assertEqual(len(weeks), 6)
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, "Pump demo, Korat")

    def test_the_jalali_month_grid_of_esfand_1404_has_29_days(self):
        self.use(self.owner, "jalali", "fa")
        response = self.month(self.owner, date="2026-03-01")
        self.assertEqual(response.context["title"], "اسفند 1404")
        weeks = response.context["weeks"]
        days = [d for w in weeks for d in w if d]
        self.assertEqual(len(days), 29)
        self.assertEqual(days[0].date, dt.date(2026, 2, 20))  # a Friday
        self.assertEqual([d is None for d in weeks[0]], [True] * 6 + [False])
        self.assertEqual(days[-1].date, dt.date(2026, 3, 20))
        self.assertEqual(len(weeks), 5)
        html = response.content.decode()
        self.assertEqual(len(re.findall(r'<td class="cal-cell[^"]*" data-slot=', html)), 29)
        # Next month is Farvardin 1405, the previous Bahman 1404.
        self.assertEqual(response.context["next"], dt.date(2026, 3, 21))
        self.assertEqual(response.context["prev"], dt.date(2026, 1, 21))

    def test_buddhist_era_month_titles(self):
        self.use(self.owner, "buddhist", "th")
        response = self.month(self.owner, date="2025-03-10")
        self.assertEqual(response.context["title"], "มีนาคม 2568")
        weeks = response.context["weeks"]
        self.assertEqual(response.context["weekdays"][0], "จ.")  # Monday first
        self.assertEqual([d is None for d in weeks[0]], [True] * 5 + [False] * 2)  # 1 Mar 2025: Sat
        self.use(self.owner, "buddhist", "th", "native")
        response = self.month(self.owner, date="2025-03-10")
        self.assertEqual(response.context["title"], "มีนาคม ๒๕๖๘")

    def test_gregorian_month_and_navigation(self):
        response = self.month(self.owner, date="2025-03-10")
        self.assertEqual(response.context["title"], "March 2025")
        self.assertEqual(response.context["prev"], dt.date(2025, 2, 1))
        self.assertEqual(response.context["next"], dt.date(2025, 4, 1))
        self.assertContains(response, "?date=2025-04-01&amp;who=mine")
        # Clicking a day makes an appointment there.
        create = reverse("activities:appointment_create")
        self.assertContains(response, f'data-create-url="{create}?start=2025-03-21"')

    def test_week_view_starts_on_saturday_for_persian_users(self):
        self.use(self.owner, "jalali", "fa")
        self.login(self.owner)
        response = self.client.get(reverse("activities:calendar_week"), {"date": "2025-03-21"})
        days = response.context["days"]
        self.assertEqual(days[0].date, dt.date(2025, 3, 15))
        self.assertEqual(days[-1].date, dt.date(2025, 3, 21))
        self.assertEqual(response.context["title"], "25 اسفند 1403 – 1 فروردین 1404")
        self.assertContains(response, "Pump demo, Korat")

    def test_week_view_puts_events_in_their_hour_and_links_slots_to_create(self):
        self.login(self.owner)
        response = self.client.get(reverse("activities:calendar_week"), {"date": "2025-03-21"})
        days = response.context["days"]
        self.assertEqual(days[0].date, dt.date(2025, 3, 17))  # Monday
        rows = dict(response.context["rows"])
        friday = rows["10:00"][4]
        self.assertEqual(friday[0].date, dt.date(2025, 3, 21))
        self.assertEqual([e.appt for e in friday[2]], [self.mine])
        self.assertContains(response, 'data-slot="2025-03-21T10:00"')
        self.assertContains(response, "?start=2025-03-21T10%3A00%3A00%2B00%3A00")

    def test_day_view(self):
        self.login(self.owner)
        response = self.client.get(reverse("activities:calendar_day"), {"date": "2025-03-21"})
        self.assertEqual(response.context["title"], "Fri 21 March 2025")
        self.assertContains(response, "Pump demo, Korat")
        early = make_appointment(self.owner, aware(2025, 3, 21, 5, 30), subject="Early bird")
        response = self.client.get(reverse("activities:calendar_day"), {"date": "2025-03-21"})
        self.assertEqual(response.context["rows"][0][0], "05:00")
        self.assertIn(early, [e.appt for e in response.context["rows"][0][1][0][2]])

    def test_mine_team_and_a_colleagues_calendar(self):
        response = self.month(self.teammate, date="2025-03-10")
        self.assertNotContains(response, "Pump demo")
        self.assertContains(response, "Alpha planning")
        response = self.month(self.teammate, date="2025-03-10", who="team")
        self.assertContains(response, "Pump demo")
        self.assertContains(response, "Dentist")  # their own private one
        self.assertNotContains(response, "Beta secret")
        # A team lead sees the team's, but not a colleague's private appointment.
        self.teams.owner = self.owner
        self.teams.save()
        self.private.participants.set([self.owner])
        self.private.is_private = True
        self.private.owner = self.readonly
        self.private.save()
        response = self.month(self.teammate, date="2025-03-10", who="team")
        self.assertNotContains(response, "Dentist")
        # An own-records role sees only what it owns or takes part in, even as "team".
        response = self.month(self.owner, date="2025-03-10", who="team")
        self.assertContains(response, "Alpha planning")  # now theirs
        self.assertContains(response, "Dentist")  # taking part
        self.assertNotContains(response, "Beta secret")
        response = self.month(
            self.readonly, date="2025-03-10", who="user", user=self.owner.public_id
        )
        self.assertContains(response, "Alpha planning")
        self.assertContains(response, "Pump demo")

    def test_an_outsider_sees_nothing_of_alphas_appointments(self):
        response = self.month(self.outsider, date="2025-03-10", who="team")
        self.assertContains(response, "Beta secret")
        for subject in ("Pump demo", "Alpha planning", "Dentist"):
            self.assertNotContains(response, subject)
        response = self.month(
            self.outsider, date="2025-03-10", who="user", user=self.owner.public_id
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.owner, list(self.month(self.outsider).context["people"]))

    def test_the_portal_user_may_not_open_the_calendar(self):
        self.login(self.portal)
        self.assertEqual(self.client.get(reverse("activities:calendar")).status_code, 403)

    def test_queries_do_not_grow_with_the_number_of_appointments(self):
        self.login(self.teammate)
        url = reverse("activities:calendar_month")
        self.client.get(url, {"date": "2025-03-10", "who": "team"})
        # session, user, 2FA, role, people, appointments, session save (3)
        with self.assertNumQueries(4):
            self.client.get(url, {"date": "2025-03-10", "who": "team"})
        for day in range(1, 28):
            make_appointment(self.owner, aware(2025, 3, day, 8), subject=f"Visit {day}")
        with self.assertNumQueries(4):
            response = self.client.get(url, {"date": "2025-03-10", "who": "team"})
        self.assertContains(response, "Visit 27")
        for view in ("calendar_week", "calendar_day"):
            with self.assertNumQueries(4):
                self.client.get(reverse(f"activities:{view}"), {"date": "2025-03-10"})

    def test_htmx_gets_just_the_grid(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("activities:calendar_month"), {"date": "2025-03-10"},
            headers={"HX-Request": "true"},
        )  # fmt: skip
        self.assertContains(response, 'id="calendar"')
        self.assertNotContains(response, "<html")

    def test_a_bad_date_shows_this_month(self):
        response = self.month(self.owner, date="not-a-date")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["anchor"], timezone.localdate())
