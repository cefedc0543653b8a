"""End to end: the Thai password-change page and the Persian preferences page.

Set MITRA_SCREENSHOTS=/some/folder to keep screenshots of both to look at.
"""

import os
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long test password 1"


def _sign_in(browser, live_server, username, language):
    from mitra.users.models import User

    User.objects.create_user(username, f"{username}@example.com", PASSWORD, language=language)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    folder = os.environ.get("MITRA_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_the_thai_password_change_page_speaks_thai(browser, live_server):
    page = _sign_in(browser, live_server, "malee", "th")
    try:
        page.goto(f"{live_server.url}/account/password/")
        page.fill("#id_old_password", PASSWORD)
        page.fill("#id_new_password1", "12345")
        page.fill("#id_new_password2", "12345")
        page.click(".page-body form button[type=submit]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "th"
        text = page.locator(".page-body").inner_text()
        assert "รหัสผ่าน" in text
        assert "form-control" in page.get_attribute("#id_new_password1", "class")
        assert re.findall(r"[A-Za-z]{3,}", text) == [], text
        _shot(page, "password-change-th.png")
    finally:
        page.close()


def test_the_persian_preferences_page(browser, live_server):
    page = _sign_in(browser, live_server, "parisa", "en")
    try:
        page.click("button[name=language][value=fa]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/account/preferences/")
        assert page.get_attribute("html", "dir") == "rtl"
        # The first language picked brought Jalali dates in Persian digits.
        assert page.locator("#id_calendar").input_value() == "jalali"
        assert page.locator("#id_digits").input_value() == "native"
        assert re.search("[۰-۹]{4}", page.locator(".page-body").inner_text())
        page.select_option("#id_country", "IR")
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#id_country option:checked").inner_text() == "ایران"
        _shot(page, "preferences-fa.png")
        page.set_viewport_size({"width": 390, "height": 844})
        _shot(page, "preferences-fa-phone.png")
    finally:
        page.close()
