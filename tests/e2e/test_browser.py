"""Staff, a dealer and a customer in headless chromium against the
multi-worker server, running the addons' own tours (static/tests/tours)."""

import shutil
from urllib.parse import urlencode

import pytest
from harness import Client
from playwright import sync_api as playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ACTION = "/odoo/action-forklift_aftersales.forklift_parts_request_action"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "chromium is not installed (setup/install.sh installs it)"
    with playwright.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield instance
        instance.close()


def run_tour(server, browser, tour, url, user=None, timeout=120):
    """Log in (unless public), open the page with the test assets and run the
    tour; fail with the tour's own message."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    messages, outcome = [], {}

    def on_console(message):
        text = message.text
        messages.append(text)
        if text == "tour succeeded":
            outcome["ok"] = True
        elif message.type == "error" and "FAILED" in text:
            outcome["error"] = text

    page.on("console", on_console)
    try:
        separator = "&" if "?" in url else "?"
        target = f"{url}{separator}debug=tests"
        if user:
            # log in straight to the tour's page: a page opened before it would
            # still be saving the session, without the test mode, while the
            # tour's next page loads
            page.goto(
                f"{server.url}/web/login?{urlencode({'redirect': target})}",
                timeout=60000,
            )
            page.fill("input[name=login]", user["login"])
            page.fill("input[name=password]", user["password"])
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/web/login" not in url, timeout=60000)
        else:
            page.goto(f"{server.url}{target}", timeout=60000)
        page.wait_for_function(
            f"window.odoo && odoo.isTourReady && odoo.isTourReady('{tour}')",
            timeout=60000,
        )
        page.evaluate(f"odoo.startTour('{tour}', {{stepDelay: 0, debug: false}})")
        for _ in range(timeout * 4):
            if outcome:
                break
            page.wait_for_timeout(250)
    finally:
        context.close()
    assert outcome.get("ok"), outcome.get("error") or "\n".join(messages[-15:])


def test_parts_request_applied_approved_and_released_in_browsers(
    server, browser, users
):
    run_tour(server, browser, "forklift_parts_request_apply", ACTION, users["staff"])
    staff = Client(server, users["staff"])
    [request_id] = staff.call(
        "forklift.parts.request", "search", [("feedback_id.title", "=", "Tour: parts")]
    )
    for vp in ("aftersales_vp", "supply_vp"):
        run_tour(
            server,
            browser,
            "forklift_parts_request_validate",
            f"{ACTION}/{request_id}",
            users[vp],
        )
    run_tour(
        server,
        browser,
        "forklift_parts_request_release",
        f"{ACTION}/{request_id}",
        users["warehouse"],
    )
    [request] = staff.call("forklift.parts.request", "read", [request_id], ["state"])
    assert request["state"] == "shipped"


def test_dealer_sees_only_its_sheets_on_the_portal(server, browser, users):
    run_tour(
        server,
        browser,
        "forklift_dealer_portal",
        "/my/forklift/sheets",
        users["dealer_a"],
    )


def test_customer_accepts_the_quote_from_the_mailed_link(server, browser):
    run_tour(server, browser, "forklift_quote_accept", server.data["quote_url"])
    # after-sales staff have no sales rights: read it as the database sees it
    [[state]] = server.sql(
        f"SELECT state FROM sale_order WHERE id = {server.data['quote_id']}"
    )
    assert state == "sale"


def test_supplier_answers_the_contact_letter_on_its_portal(server, browser, users):
    run_tour(
        server, browser, "forklift_supplier_letter_answer", "/my", users["supplier"]
    )
    letter_id = server.data["letter_id"]
    [[state]] = server.sql(
        f"SELECT state FROM forklift_supplier_letter WHERE id = {letter_id}"
    )
    assert state == "answered"
