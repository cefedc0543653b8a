"""Layouts that must fit: the task board in Persian at 1366 px, the month calendar on a
390-px phone, and the party list's default columns on a 1366-px laptop."""

import datetime as dt

import pytest

from mitra.core.testing import BROWSER_PASSWORD as PASSWORD
from mitra.core.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_signed_in(browser, live_server, username, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    return sign_in(page, live_server, username)


def make_user(language, calendar):
    from mitra.users.models import User

    return User.objects.create_superuser(
        "nasrin", "nasrin@example.com", PASSWORD, language=language, calendar=calendar
    )


def test_the_task_board_fits_1366_px_in_persian(browser, live_server):
    from django.utils import timezone

    from mitra.activities.models import Task, TaskStatus

    user = make_user("fa", "jalali")
    long_title = "پیگیری پرداخت صورت‌حساب‌های معوقهٔ مشتریان عمده در استان‌های شمالی"
    for status in TaskStatus.values:
        Task.objects.create(
            owner=user, assignee=user, title=long_title, status=status, due_at=timezone.now()
        )
    page = open_signed_in(browser, live_server, "nasrin", 1366, 768)
    try:
        page.goto(f"{live_server.url}/activities/tasks/board/")
        assert page.get_attribute("html", "dir") == "rtl"
        columns = page.locator(".task-board-column")
        assert columns.count() == len(TaskStatus.values)
        for i in range(columns.count()):
            box = columns.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, box
        # Nothing sticks out sideways: no horizontal scroll on the board or the page.
        assert page.evaluate(
            "(() => { const b = document.querySelector('.task-board');"
            " return b.scrollWidth <= b.clientWidth + 1; })()"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    finally:
        page.close()


def test_the_month_calendar_is_an_agenda_on_a_phone(browser, live_server):
    from django.utils import timezone

    from mitra.activities.models import Appointment

    user = make_user("en", "gregorian")
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    for i, subject in enumerate(["Pump demo at Korat", "Quarterly review", "Visit the plant"]):
        appt = Appointment.objects.create(
            owner=user, subject=subject, start=start + dt.timedelta(hours=i),
            end=start + dt.timedelta(hours=i + 1),
        )  # fmt: skip
        appt.participants.set([user])
    page = open_signed_in(browser, live_server, "nasrin", 390, 844)
    try:
        page.goto(f"{live_server.url}/activities/calendar/")
        assert not page.locator(".cal-month-table").is_visible()
        agenda = page.locator(".cal-agenda")
        assert agenda.is_visible()
        for subject in ("Pump demo at Korat", "Quarterly review", "Visit the plant"):
            event = agenda.locator(".cal-event", has_text=subject)
            assert event.is_visible()
            box = event.bounding_box()
            assert box["width"] > 250  # readable, not squeezed into a seventh of the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # On a laptop the grid is back.
        page.set_viewport_size({"width": 1366, "height": 768})
        assert page.locator(".cal-month-table").is_visible()
        assert not agenda.is_visible()
    finally:
        page.close()


def test_the_party_list_fits_1366_px_by_default(browser, live_server):
    from mitra.parties.models import Address, ContactPoint, Party

    user = make_user("th", "buddhist")
    names = [
        "شرکت مهرگان سیستم (سهامی عام) مشهد",
        "บริษัท สยามอุตสาหกรรมเครื่องจักรกลการเกษตร จำกัด (มหาชน)",
        "Bangkok Industrial Supplies and Engineering Services Company Limited",
    ]
    for i, name in enumerate(names):
        party = Party.objects.create(owner=user, kind="organisation", name=name, priority=3)
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.EMAIL,
            value=f"purchasing.department.headoffice{i}@example.com",
        )  # fmt: skip
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.PHONE, number="+98 51 8342 8704", extension="107"
        )
        Address.objects.create(party=party, city="Nakhon Ratchasima", country="TH")
    page = open_signed_in(browser, live_server, "nasrin", 1366, 768)
    try:
        page.goto(f"{live_server.url}/parties/")
        table = page.locator("#rows .table-responsive")
        assert page.evaluate(
            "(() => { const t = document.querySelector('#rows .table-responsive');"
            " return t.scrollWidth <= t.clientWidth + 1; })()"
        ), table.bounding_box()
    finally:
        page.close()
