"""End to end in Chromium: the list, the form and the 360 page in English, Thai and
Persian. Screenshots go to /tmp/mitra-shots (outside the repo) for a person to look at."""

import os

import pytest

from mitra.core.testing import BROWSER_PASSWORD as PASSWORD
from mitra.core.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MITRA_SHOTS", "/tmp/parties-shots")


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_the_main_screens_render_in_each_language(browser, live_server, language):
    from mitra.parties import demo
    from mitra.parties.models import Kind, Party
    from mitra.users import demo as user_demo
    from mitra.users.models import User

    user_demo.load()
    demo.load(parties=60)
    user = User.objects.create_superuser("lek", "lek@example.com", PASSWORD)
    user.language = language
    user.calendar = {"th": "buddhist", "fa": "jalali"}.get(language, "gregorian")
    user.save()
    org = (
        Party.objects.filter(kind=Kind.ORGANISATION, addresses__isnull=False)
        .order_by("-priority", "pk")
        .first()
    )
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        sign_in(page, live_server, "lek")
        page.goto(f"{live_server.url}/parties/")
        assert page.locator("table tbody tr").count() == 50
        page.screenshot(path=f"{SHOTS}/list-{language}.png", full_page=False)
        # Filters through htmx: choose a role, the rows update in place.
        page.select_option("select[name=role]", "supplier")
        page.wait_for_url("**role=supplier**")
        page.goto(f"{live_server.url}/parties/new/?kind=organisation")
        page.screenshot(path=f"{SHOTS}/form-{language}.png", full_page=False)
        # An empty save shows errors next to the fields and saves nothing.
        before = Party.objects.count()
        page.click("form[enctype] button.btn-primary[type=submit]")
        page.locator(".invalid-feedback").first.wait_for()
        assert Party.objects.count() == before
        page.goto(f"{live_server.url}/parties/{org.public_id}/")
        page.screenshot(path=f"{SHOTS}/detail-{language}.png", full_page=False)
        page.click("a[href$='?tab=relationships']")
        page.wait_for_url("**?tab=relationships")
        page.locator("#tab-card a.nav-link.active[href$='?tab=relationships']").wait_for()
        active = page.locator("#tab-card a.nav-link.active")
        assert active.get_attribute("href").endswith("?tab=relationships")
        page.screenshot(path=f"{SHOTS}/relationships-{language}.png", full_page=False)
        direction = page.locator("html").get_attribute("dir")
        assert direction == ("rtl" if language == "fa" else "ltr")
    finally:
        page.close()
