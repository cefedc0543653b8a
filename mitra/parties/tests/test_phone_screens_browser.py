"""In Chromium: the party page at phone size (390×844) in English, Thai and Persian, the
Persian party page and history, and the country select of the party form. Screenshots go
to /tmp/parties-shots for a person to look at."""

import os

import pytest

from mitra.core.testing import BROWSER_PASSWORD as PASSWORD
from mitra.core.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MITRA_SHOTS", "/tmp/parties-shots")


def make_user(language):
    from mitra.users.models import User

    user = User.objects.create_superuser(f"lek-{language}", "lek@example.com", PASSWORD)
    user.language = language
    user.calendar = {"th": "buddhist", "fa": "jalali"}.get(language, "gregorian")
    user.save()
    return user


def make_party(owner):
    from mitra.parties.models import Address, ContactPoint, Kind, Party

    party = Party(
        owner=owner,
        kind=Kind.ORGANISATION,
        name="Siam International Engineering and Trading Company Limited (Head Office)",
    )
    party.save()
    ContactPoint.objects.create(
        party=party, kind="phone", country_code="66", area_code="2", number="123 4567",
        extension="12", is_primary=True,
    )  # fmt: skip
    ContactPoint.objects.create(party=party, kind="email", value="sales@siam-eng.example")
    Address.objects.create(
        party=party, line1="99 Sukhumvit Road", district="Khlong Toei", city="Bangkok",
        postcode="10110", country="TH", is_primary=True,
    )  # fmt: skip
    return party


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_the_party_page_header_fits_a_phone(browser, live_server, language):
    party = make_party(make_user(language))
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        sign_in(page, live_server, f"lek-{language}")
        page.goto(f"{live_server.url}/parties/{party.public_id}/")
        page.screenshot(path=f"{SHOTS}/phone-detail-{language}.png", full_page=False)
        # Nothing sticks out sideways: the page does not scroll horizontally.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        # The long name is cut with an ellipsis on one line, not wrapped over the screen.
        name = page.locator(".party-name")
        box = name.bounding_box()
        assert box["height"] < 40, box
        assert page.evaluate("el => el.scrollWidth > el.clientWidth", name.element_handle()), (
            "the name should be truncated"
        )
        # Edit stays a button; the rest is in a menu that opens.
        edit = page.locator(".party-actions a.btn-primary:visible")
        assert edit.count() == 1
        menu = page.locator(".party-actions .party-more:visible")
        assert menu.count() == 1
        menu.locator("button[data-bs-toggle]").click()
        page.locator(".party-actions .dropdown-menu.show").wait_for()
        assert page.locator(".party-actions .dropdown-menu.show button").count() >= 2
        page.screenshot(path=f"{SHOTS}/phone-detail-menu-{language}.png", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()


def test_persian_pages_keep_latin_fragments_in_order(browser, live_server):
    party = make_party(make_user("fa"))
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        sign_in(page, live_server, "lek-fa")
        page.goto(f"{live_server.url}/parties/{party.public_id}/")
        page.screenshot(path=f"{SHOTS}/fa-detail.png", full_page=False)
        page.goto(f"{live_server.url}/parties/book/")
        page.screenshot(path=f"{SHOTS}/fa-book.png", full_page=False)
        page.goto(f"{live_server.url}/parties/")
        page.screenshot(path=f"{SHOTS}/fa-list.png", full_page=False)
        page.goto(f"{live_server.url}/search/?q=Siam")
        page.screenshot(path=f"{SHOTS}/fa-search.png", full_page=False)
        page.goto(f"{live_server.url}/parties/{party.public_id}/?tab=history")
        page.locator(".history-row").first.wait_for()
        page.screenshot(path=f"{SHOTS}/fa-history.png", full_page=False)
        page.goto(f"{live_server.url}/parties/caller-id/?number=021234567&format=html")
        page.screenshot(path=f"{SHOTS}/fa-callerid.png", full_page=False)
    finally:
        page.close()


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_the_country_select_finds_a_country_by_any_name(browser, live_server, language):
    from mitra.parties.models import Party

    make_user(language)
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        sign_in(page, live_server, f"lek-{language}")
        page.goto(f"{live_server.url}/parties/new/?kind=organisation")
        select = page.locator("select[name='addr-0-country']")
        box = page.locator("#id_addr-0-country-filter")
        for typed in ("ไทย", "تایلند", "thai"):
            box.fill(typed)
            assert select.input_value() == "TH", typed
        box.fill("ایران")
        assert select.input_value() == "IR"
        box.fill("ไทย")
        card = select.locator("xpath=ancestor::div[contains(@class, 'card')][1]")
        card.screenshot(path=f"{SHOTS}/form-country-{language}.png")
        # A save with an error lists it at the top, with a link that goes to the field,
        # and keeps the chosen country.
        page.fill("#id_name", "")
        page.click("form[enctype] button.btn-primary[type=submit]")
        page.locator("#form-errors").wait_for()
        assert page.locator("select[name='addr-0-country']").input_value() == "TH"
        page.screenshot(path=f"{SHOTS}/form-errors-{language}.png", full_page=False)
        page.locator("#form-errors a").first.click()
        page.wait_for_url("**#id_name")
        page.fill("#id_name", "Siam Pumps")
        page.click("form[enctype] button.btn-primary[type=submit]")
        page.locator(".party-name").wait_for()
        assert Party.objects.get(name="Siam Pumps").addresses.get().country == "TH"
    finally:
        page.close()
