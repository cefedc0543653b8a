"""End to end in Chromium: the top-bar search drops live results, arrows and Enter open one."""

import pytest

from mitra.core.testing import BROWSER_PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_drops_live_results_and_opens_one_with_the_keyboard(browser, live_server):
    from mitra.parties.models import ContactPoint, Kind, Party
    from mitra.users.models import User

    user = User.objects.create_superuser("lek", "lek@example.com", BROWSER_PASSWORD)
    first = Party.objects.create(name="สมชาย ใจดี", kind=Kind.PERSON, owner=user)
    second = Party.objects.create(name="สมชาติ รักไทย", kind=Kind.PERSON, owner=user)
    ContactPoint.objects.create(party=second, kind="mobile", value="081 234 5678")
    page = browser.new_page()
    try:
        sign_in(page, live_server, "lek")
        page.keyboard.press("/")
        page.keyboard.type("สมช")
        menu = page.locator("#global-search-menu.show")
        menu.wait_for()
        assert menu.locator("a.search-hit").count() == 3  # two parties, "all results"
        page.keyboard.press("ArrowDown")  # สมชาติ sorts before สมชาย
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        assert (
            page.locator("#global-search-menu a.search-hit.active").inner_text().startswith("สมชาติ")
        )
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/parties/{second.public_id}/")

        # Enter with nothing picked goes to the full search page; it updates as one types.
        page.fill("#global-search", "5678")
        page.locator("#global-search-menu.show").wait_for()
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=5678")
        assert page.locator("#search-results a.search-hit").count() == 1
        page.fill("#global-search", "ใจดี")
        page.locator("#search-results >> text=สมชาย ใจดี").wait_for()
        assert f"/parties/{first.public_id}/" in page.locator(
            "#search-results a.search-hit"
        ).first.get_attribute("href")
    finally:
        page.close()
