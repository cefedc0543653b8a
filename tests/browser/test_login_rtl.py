"""End to end in a real Chromium: sign in, switch to Persian, the page turns right-to-left."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_and_switches_to_persian(browser, live_server):
    from mitra.users.models import User

    User.objects.create_user("nasrin", "nasrin@example.com", "a long test password 1")
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/account/login/")
        assert page.get_attribute("html", "dir") == "ltr"
        page.fill("#id_username", "nasrin")
        page.fill("#id_password", "a long test password 1")
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.click("button[name=language][value=fa]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("html", "lang") == "fa"
        rtl_css = page.evaluate(
            "[...document.styleSheets].some(s => (s.href || '').includes('tabler.rtl'))"
        )
        assert rtl_css
        # The sidebar sits on the right in RTL.
        box = page.locator("aside.navbar-vertical").bounding_box()
        assert box["x"] > page.viewport_size["width"] / 2
        # Persian dates: the home card shows today's Jalali date.
        assert page.locator("text=/(14|۱۴)[0-9۰-۹]{2}/").count() > 0  # in Persian digits
    finally:
        page.close()


def test_the_global_search_box_takes_the_slash_key(browser, live_server):
    from mitra.users.models import User

    User.objects.create_user("lek", "lek@example.com", "a long test password 1")
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/account/login/")
        page.fill("#id_username", "lek")
        page.fill("#id_password", "a long test password 1")
        page.press("#id_password", "Enter")
        page.wait_for_url(f"{live_server.url}/")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "global-search"
    finally:
        page.close()
