"""End to end in Chromium under the real CSP (scripts from our own files only, no eval):
the main pages as an administrator in English and Persian raise no console error and no
CSP violation, and the interactive bits (menus, Alpine components, htmx, drag and drop,
charts) still work."""

import re

import pytest

from mitra.activities.tests.test_activities_browser import make_world, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every CSP violation is recorded by the page itself (Playwright's init script runs
# outside the page's CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watch:
    """Console errors, uncaught exceptions, Alpine/htmx warnings and CSP violations."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(RECORD_VIOLATIONS)
        # The browser asks for /favicon.ico by itself; Mitra has none (not a page error).
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page.on("console", self.console)
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: uncaught {e}"))

    def console(self, msg):
        text = msg.text
        if msg.type == "error" or (
            msg.type == "warning" and re.search(r"alpine|htmx|content security|csp", text, re.I)
        ):
            where = msg.location.get("url", "")
            self.problems.append(f"{self.page.url}: console {msg.type}: {text} ({where})")

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, (url, response.status)
        self.page.wait_for_load_state("networkidle")
        self.check()

    def check(self):
        for v in self.page.evaluate("window.__violations || []"):
            self.problems.append(f"{self.page.url}: CSP {v}")
        self.page.evaluate("window.__violations = []")
        assert self.problems == []


@pytest.mark.parametrize("language", ["en", "fa"])
def test_main_pages_run_under_the_csp_without_errors(browser, live_server, language):
    from mitra.activities.models import Lookup, Task
    from mitra.users.models import Role

    calendar = {"fa": "jalali"}.get(language, "gregorian")
    user, party = make_world(language=language, calendar=calendar)
    role = Role.objects.create(name="Sales", permissions={"parties": ["view"]})
    code = Lookup.objects.first()
    base = live_server.url
    page = browser.new_page()
    watch = Watch(page)
    try:
        sign_in(page, live_server, "malee")
        assert page.get_attribute("html", "dir") == ("rtl" if language == "fa" else "ltr")
        watch.check()

        # The user menu (Tabler's dropdown) opens.
        page.click("[data-bs-toggle=dropdown][aria-label]")
        page.wait_for_selector(".dropdown-menu.show")
        # Global search: htmx fetches live results as one types.
        page.fill("#global-search", party.name[:6])
        page.wait_for_selector("#global-search-menu a.search-hit")
        watch.check()

        # Party list: "More" filters (Alpine) open; "select all" ticks every row.
        watch.visit(f"{base}/parties/")
        more = page.locator("form[hx-get] button[type=button][aria-expanded]")
        more.click()
        page.wait_for_selector("form[hx-get] button[aria-expanded=true]")
        if page.locator("input[name=ids]").count():
            page.locator("th input[type=checkbox]").check()
            assert page.locator("input[name=ids]:not(:checked)").count() == 0
        page.select_option("#bulk-form select[name=action]", "add_to_group")
        page.wait_for_selector("#bulk-form select[name=group]", state="visible")
        page.wait_for_selector("#bulk-form select[name=manager]", state="hidden")
        watch.check()

        # The party page and every tab, both as a link and through htmx.
        watch.visit(f"{base}/parties/{party.public_id}/")
        tabs = page.locator("#tab-card .nav-tabs a.nav-link")
        hrefs = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
        assert len(hrefs) >= 3
        for i in range(len(hrefs)):
            page.locator("#tab-card .nav-tabs a.nav-link").nth(i).click()
            page.wait_for_load_state("networkidle")
            watch.check()
        for href in hrefs:
            watch.visit(f"{base}{href}")

        # Party form: the kind switch shows the right fields; formsets add rows.
        watch.visit(f"{base}/parties/new/")
        total = page.locator("input[name$='-TOTAL_FORMS']").first
        before = int(total.get_attribute("value") if total.count() else 0)
        page.locator(".card-footer button[type=button]").first.click()
        page.wait_for_timeout(200)
        assert int(page.locator("input[name$='-TOTAL_FORMS']").first.input_value()) == before + 1
        page.locator("input[name=kind][value=organisation]").check()
        page.wait_for_selector("[name=first_name]", state="hidden")
        page.locator("input[name=kind][value=person]").check()
        page.wait_for_selector("[name=first_name]", state="visible")
        watch.check()
        watch.visit(f"{base}/parties/{party.public_id}/edit/")

        # Task board: dragging a card still posts its new status.
        watch.visit(f"{base}/activities/tasks/board/")
        task = Task.objects.get(title="Send the contract")
        page.locator(f"#task-{task.public_id} .task-handle").drag_to(
            page.locator(".task-column[data-status=waiting]")
        )
        page.wait_for_timeout(800)
        task.refresh_from_db()
        assert task.status == "waiting"
        watch.check()

        # Charts render through Vega's interpreter (no Function()).
        watch.visit(f"{base}/activities/interactions/analysis/")
        page.wait_for_selector(".vega-chart svg")
        watch.check()

        for path in (
            "/",
            "/activities/calendar/",
            "/activities/calendar/week/",
            "/activities/calendar/day/",
            "/activities/interactions/",
            "/activities/interactions/new/",
            "/activities/tasks/",
            "/activities/tasks/new/",
            "/activities/appointments/new/",
            "/activities/notes/",
            "/activities/followups/",
            "/activities/news/",
            f"/activities/codes/{code.public_id}/",
            "/activities/codes/",
            "/parties/import/",
            "/parties/export/",
            "/parties/groups/",
            "/parties/ratings/",
            "/parties/duplicates/",
            "/parties/duplicates/rules/",
            "/approvals/",
            "/approvals/?show=mine",
            "/approvals/rules/",
            "/numbering/",
            "/documents/templates/",
            "/documents/letterhead/",
            f"/documents/parties.fact_sheet/{party.public_id}/",
            "/parties/trash/",
            "/users/",
            "/users/new/",
            f"/users/{user.public_id}/edit/",
            "/users/teams/",
            "/users/roles/",
            f"/users/roles/{role.public_id}/",
            "/account/preferences/",
            "/account/password/",
            "/account/two-factor/",
            "/account/api-keys/",
            "/reminders/",
            "/mail/",
            "/search/?q=a",
        ):
            watch.visit(f"{base}{path}")

        # Import: upload a file and reach the column mapping screen.
        watch.visit(f"{base}/parties/import/")
        page.set_input_files(
            "input[type=file]",
            files=[{"name": "people.csv", "mimeType": "text/csv",
                    "buffer": b"name,phone\nSomchai,081 234 5678\n"}],
        )  # fmt: skip
        page.locator("form[enctype] button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        assert "/columns/" in page.url
        watch.check()
    finally:
        page.close()
