"""End to end in Chromium: the month calendar in three calendars, and moving by drag."""

import datetime as dt

import pytest

from mitra.core.testing import BROWSER_PASSWORD as PASSWORD
from mitra.core.testing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_month(user):
    from django.utils import timezone

    from mitra.activities.models import Appointment

    today = timezone.localdate()
    made = []
    for offset, hour, subject in (
        (0, 10, "สาธิตปั๊มน้ำ โคราช"),
        (1, 14, "جلسه با مشتری"),
        (3, 9, "Quarterly review"),
        (3, 11, "Site visit"),
    ):
        start = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(hour))
        )
        appt = Appointment.objects.create(
            owner=user, subject=subject, start=start, end=start + dt.timedelta(hours=1)
        )
        appt.participants.set([user])
        made.append(appt)
    return made


@pytest.mark.parametrize(
    "language,calendar,digits",
    [("en", "gregorian", "latin"), ("th", "buddhist", "native"), ("fa", "jalali", "native")],
)
def test_the_month_calendar_in_each_language(browser, live_server, language, calendar, digits):
    from mitra.core import calendars
    from mitra.users.models import User

    user = User.objects.create_superuser(
        "lek", "lek@example.com", PASSWORD, language=language, calendar=calendar, digits=digits
    )
    make_month(user)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in(page, live_server, "lek")
        page.goto(f"{live_server.url}/activities/calendar/")
        page.locator("#calendar").wait_for()
        title = page.locator("#calendar-title").inner_text()
        year = calendars.to_calendar(dt.date.today(), calendar)[0]
        assert calendars.localize_digits(year, digits, language) in title
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
        assert page.locator("#calendar .cal-event").count() >= 1
        shot(page, f"calendar-month-{language}")
        page.goto(f"{live_server.url}/activities/calendar/week/")
        page.locator("#calendar").wait_for()
        shot(page, f"calendar-week-{language}")
    finally:
        page.close()


def test_dragging_an_appointment_to_another_day_moves_it(browser, live_server):
    from mitra.users.models import User

    user = User.objects.create_superuser("lek", "lek@example.com", PASSWORD)
    appt = make_month(user)[2]
    start = appt.start
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in(page, live_server, "lek")
        page.goto(f"{live_server.url}/activities/calendar/week/?date={start.date().isoformat()}")
        source = page.locator(f'[data-move-url*="{appt.public_id}"]')
        target_day = start.date() + dt.timedelta(days=1 if start.weekday() != 6 else -1)
        target = page.locator(f'td[data-slot="{target_day.isoformat()}T15:00"]')
        source.drag_to(target)
        page.locator("#cal-moved").wait_for()
        shot(page, "calendar-week-moved")
        appt.refresh_from_db()
        assert appt.start.date() == target_day
        assert (appt.start.hour, appt.start.minute) == (15, 0)
        assert appt.end - appt.start == dt.timedelta(hours=1)
        # Undo puts it back.
        page.locator("#cal-moved button").click()
        page.wait_for_function(
            "() => !document.querySelector('#cal-moved .cal-conflicts') &&"
            " document.querySelector('#cal-moved') !== null"
        )
        page.wait_for_timeout(300)
        appt.refresh_from_db()
        assert appt.start == start
    finally:
        page.close()
