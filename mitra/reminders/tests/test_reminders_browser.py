"""End to end in Chromium: the bell, the list, done and snooze with the keyboard."""

import pytest

from mitra.core.testing import BROWSER_PASSWORD as PASSWORD
from mitra.core.testing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "language,calendar,digits",
    [("en", "gregorian", "latin"), ("th", "buddhist", "native"), ("fa", "jalali", "native")],
)
def test_the_bell_and_the_list_with_the_keyboard(browser, live_server, language, calendar, digits):
    import datetime as dt

    from django.utils import timezone

    from mitra.mail import outbox
    from mitra.reminders.models import Reminder
    from mitra.users.models import User

    user = User.objects.create_superuser(
        "lek", "lek@example.com", PASSWORD, language=language, calendar=calendar, digits=digits
    )
    now = timezone.now()
    for i, title in enumerate(
        ["Birthday: Somchai Jaidee turns 40", "ส่งใบเสนอราคาให้ลูกค้า", "تماس با آقای رضایی"]
    ):
        Reminder.objects.create(
            user=user, source="birthdays" if i == 0 else "tasks", object_ref=str(i),
            occurrence=now - dt.timedelta(hours=i), all_day=i == 0, title=title,
        )  # fmt: skip
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    try:
        sign_in(page, live_server, "lek")
        badge = page.locator("#reminders-count .badge")
        badge.wait_for()
        assert badge.inner_text() in ("3", "๓", "۳")
        page.goto(f"{live_server.url}/reminders/")
        page.locator("#reminders-count .badge").wait_for()
        shot(page, f"reminders-{language}")
        # Keyboard only: focus the first "Done" button and press Enter.
        done = page.locator("form[action$='/done/'] button").first
        done.focus()
        page.keyboard.press("Enter")
        page.locator("tr .badge.bg-success-lt").wait_for()
        page.wait_for_function(
            "() => { const b = document.querySelector('#reminders-count .badge');"
            " return b && ['2', '๒', '۲'].includes(b.textContent.trim()); }"
        )
        snooze = page.locator("form[action$='/snooze/'] button[value='tomorrow']").first
        snooze.focus()
        page.keyboard.press("Enter")
        page.locator("tr .badge.bg-yellow-lt").wait_for()
        assert Reminder.objects.filter(status="done").count() == 1
        assert Reminder.objects.filter(status="snoozed").count() == 1
        page.goto(f"{live_server.url}/reminders/preferences/")
        page.locator("#reminders-count .badge").wait_for()
        shot(page, f"reminder-preferences-{language}")
        outbox.queue_email(to="a@example.com", subject="ใบเสนอราคา / پیش‌فاکتور", body="x")
        page.goto(f"{live_server.url}/mail/")
        shot(page, f"mail-{language}")
    finally:
        page.close()
