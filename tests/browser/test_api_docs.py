"""/api/docs/ renders its list of operations offline and under a CSP that allows only our
own scripts and styles (no 'unsafe-inline', no 'unsafe-eval', nothing from elsewhere)."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Stricter than the app's own policy, so the page keeps working whatever that one allows.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'"
)

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_the_api_docs_render_offline_under_a_strict_csp(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere = []

    def offline_and_strict(route):
        if not route.request.url.startswith(live_server.url):
            elsewhere.append(route.request.url)  # a CDN, say: no network here
            route.abort()
            return
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    context.route("**/*", offline_and_strict)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        if shots := os.environ.get("MITRA_SCREENSHOTS"):
            page.screenshot(path=os.path.join(shots, "api-docs.png"), full_page=False)
        assert page.locator(".opblock-tag").filter(has_text="parties").count() >= 1
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/parties/" in paths
        assert "/api/v1/interactions/" in paths
        # The list's declared filters are documented: open one operation and look.
        page.locator("#operations-interactions-interactions_list .opblock-summary").click()
        page.wait_for_selector("#operations-interactions-interactions_list .parameters")
        params = page.locator(
            "#operations-interactions-interactions_list .parameter__name"
        ).all_inner_texts()
        assert any(p.startswith("since") for p in params), params
        if shots:
            page.screenshot(path=os.path.join(shots, "api-docs-filters.png"), full_page=False)
        # Swagger UI's own stylesheet applied (the page is not unstyled).
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.swagger-ui .opblock')).borderRadius"
        ) not in ("", "0px")
        assert page.evaluate("window.__cspViolations") == []
        assert errors == []
        assert elsewhere == []
    finally:
        context.close()
