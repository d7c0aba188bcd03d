#!/usr/bin/env python3
"""Take the screenshots of the README (docs/*.png) from the demo database.

    .venv/bin/python setup/screenshots.py --start

starts its own server on a fresh demo database (``setup/demo.sh`` with RESET=1,
database ``forklift_screenshots`` on a free port), takes every screenshot and
stops the server (``--keep`` keeps the database). Against a demo server already
running::

    RESET=1 bash setup/demo.sh                  # a fresh database, in another terminal
    .venv/bin/python setup/screenshots.py --url http://localhost:8069 --db forklift_demo

The "First hour" walkthrough of the README is played through the web client and
the portal as each person would (clicks, typing, the customer's signature), one
feedback sheet from the call to its closing: it changes the database, so it needs
a fresh one. Each person reads the language the demo gives them (README, "Demo
logins"). Chromium is Debian's, driven by playwright (a test requirement).
"""

import argparse
import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

from PIL import Image
from playwright import sync_api

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CASE_ACTION = "/odoo/action-forklift_aftersales.forklift_feedback_action"
ORDER_ACTION = "/odoo/action-forklift_aftersales.forklift_service_order_action"
# the sheet of the walkthrough, waiting at intake in the demo data
WALKTHROUGH_SHEET = "Engine hard to start in the morning"
WALKTHROUGH_SHOTS = {
    "first-hour-1-verify",
    "first-hour-2-dispatched",
    "portal-work-report",
    "portal-signature",
    "first-hour-3-reported",
    "first-hour-4-closed",
}


SCROLL_TO_TOP = """([selector, offset]) => {
    const element = document.querySelector(selector);
    let box = element.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight
                    && ["auto", "scroll"].includes(getComputedStyle(box).overflowY))) {
        box = box.parentElement;
    }
    const scroller = box || document.scrollingElement;
    const from = box ? box.getBoundingClientRect().top : 0;
    scroller.scrollTop += element.getBoundingClientRect().top - from - offset;
}"""


def log(message):
    print(f"[screenshots] {message}", flush=True)


class Failure(Exception):
    """A step of the walkthrough did not give what a person would see."""


# --- the server ---------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url, process, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = Path(log_path).read_text(errors="replace").splitlines()[-20:]
            raise Failure("the demo server stopped:\n" + "\n".join(tail))
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(3)
    raise Failure(f"the demo server did not answer within {timeout} s")


@contextlib.contextmanager
def demo_server(db, keep, timeout):
    """``setup/demo.sh`` on a fresh database and a free port, stopped at the
    end; the database is dropped unless ``keep``."""
    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"screenshots-{db}.log"
    env = dict(
        os.environ,
        DEMO_DB=db,
        PORT=str(port),
        RESET="1",
        HTTP_INTERFACE="127.0.0.1",
        VENV=sys.prefix,
    )
    log(f"creating the database {db} and starting its server on port {port}")
    log(f"(a few minutes; its log: {log_path})")
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            ["bash", str(ROOT / "setup" / "demo.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, process, log_path, timeout)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log("server stopped")
        if not keep:
            subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
            data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local/share")
            shutil.rmtree(Path(data) / "Odoo" / "filestore" / db, ignore_errors=True)
            log_path.unlink(missing_ok=True)
            log(f"database {db} dropped")


# --- the browser ------------------------------------------------------------------


class Session:
    """One person logged in, in a browser context of their own."""

    def __init__(self, browser, url, db, login, viewport):
        self.url = url
        self.login = login
        options = {
            "viewport": viewport,
            # the demo users work on Beijing time; the web client shows the
            # browser's time zone
            "timezone_id": "Asia/Shanghai",
            "device_scale_factor": 1,
            "is_mobile": viewport is PHONE,
            "has_touch": viewport is PHONE,
        }
        self.context = browser.new_context(**options)
        response = self.context.request.post(
            f"{url}/web/session/authenticate",
            data={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": db, "login": login, "password": login},
            },
        )
        body = response.json()
        if response.status != 200 or body.get("error") or not body.get("result"):
            raise Failure(f"cannot log in as {login}: {body.get('error') or body}")
        # the person's language and time zone, for the calls made for them
        self.user_context = body["result"]["user_context"]
        self.context.set_default_timeout(60000)
        # the first page of a fresh server builds its assets
        self.context.set_default_navigation_timeout(180000)
        self.page = self.context.new_page()

    def rpc(self, model, method, *args, **kwargs):
        response = self.context.request.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            data={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": dict(kwargs, context=self.user_context),
                },
            },
        )
        body = response.json()
        if body.get("error"):
            raise Failure(f"{model}.{method} as {self.login}: {body['error']}")
        return body["result"]

    def selection_label(self, model, field, value):
        """A selection's label as this person reads it (their language)."""
        fields = self.rpc(model, "fields_get", [field], attributes=["selection"])
        return dict(fields[field]["selection"])[value]

    def goto(self, path):
        self.page.goto(f"{self.url}{path}")
        self.settle()

    def settle(self):
        """Wait until the page has loaded its data and stopped moving."""
        page = self.page
        page.wait_for_load_state("load")
        if page.locator(".o_web_client").count():
            page.wait_for_selector(".o_action_manager .o_view_controller")
        # the network goes quiet once the page has its data; a preview the
        # chatter keeps loading may hold it longer, and is not waited for
        with contextlib.suppress(sync_api.TimeoutError):
            page.wait_for_load_state("networkidle", timeout=10000)
        page.wait_for_timeout(500)

    def click(self, selector):
        self.page.locator(selector).first.click()
        self.settle()

    def expect_state(self, value):
        """The form's status bar shows the record at ``value``."""
        self.page.wait_for_selector(
            f".o_statusbar_status button.o_arrow_button_current[data-value='{value}']"
        )
        self.settle()

    def select(self, field, label):
        """Choose ``label`` in the selection field ``field`` of the form."""
        self.click(f".o_field_widget[name={field}] .o_select_menu_toggler")
        self.page.locator(".o_select_menu_menu .o_select_menu_item").filter(
            has_text=label
        ).first.click()
        self.page.wait_for_function(
            "([field, label]) => document.querySelector("
            "`.o_field_widget[name=${field}] input`)?.value === label",
            arg=[field, label],
        )

    def close(self):
        self.context.close()


class Camera:
    def __init__(self, out_dir, only):
        self.out_dir = out_dir
        self.only = only
        self.taken = []

    def shoot(self, session, name, top=None, offset=8):
        """Save the visible page as ``name``.png, a palette PNG to keep the
        repository small; ``top``: a selector scrolled to ``offset`` pixels
        below the top of what scrolls it (the form under its sticky status
        bar, a portal page)."""
        if self.only and name not in self.only:
            return
        page = session.page
        if top:
            page.wait_for_selector(top)
            page.evaluate(SCROLL_TO_TOP, [top, offset])
            page.wait_for_timeout(300)
        png = page.screenshot(animations="disabled", caret="hide")
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
        path = self.out_dir / f"{name}.png"
        image.save(path, optimize=True)
        self.taken.append(path)
        log(f"{path} ({path.stat().st_size // 1024} KB)")


# --- the screenshots -------------------------------------------------------------


def overview(browser, url, db, camera):
    """The feedback sheets as the service-center director sees them."""
    director = Session(browser, url, db, "director", DESKTOP)
    director.goto(f"{CASE_ACTION}?view_type=kanban")
    director.page.wait_for_selector(".o_kanban_record")
    camera.shoot(director, "feedback-sheets")
    director.close()


def dealer_files_a_sheet(browser, url, db, camera):
    """A dealer reports a problem from the phone (filled in, not sent)."""
    dealer = Session(browser, url, db, "dealer", PHONE)
    dealer.goto("/my/forklift/sheets/new")
    page = dealer.page
    unit = page.locator("#unit_id option", has_text="CPCD30-2026-0117")
    page.select_option("#unit_id", unit.get_attribute("value"))
    page.fill("#description", "Forks rise slowly, hydraulic oil leaks at the pump.")
    page.fill("#hour_meter", "705")
    page.check("#is_stopped")
    camera.shoot(dealer, "portal-report-a-problem")
    dealer.close()


def first_hour(browser, url, db, camera):
    """One sheet from the call to its closing, as the README's "First hour"
    tells it: the service center verifies and dispatches it to the dealer,
    the dealer reports the work on the phone and the customer signs there,
    the service center registers the signed order and reports to QA, the
    director closes the sheet."""
    # 1. service-center staff: verify the sheet and dispatch it to the dealer
    staff = Session(browser, url, db, "technician", DESKTOP)
    sheets = staff.rpc(
        "forklift.feedback",
        "search_read",
        [("title", "=", WALKTHROUGH_SHEET)],
        fields=["state", "name"],
    )
    if not sheets or sheets[0]["state"] != "draft":
        raise Failure(
            f"the sheet {WALKTHROUGH_SHEET!r} is not at intake: the walkthrough "
            "needs a fresh demo database (--start, or RESET=1 bash setup/demo.sh)"
        )
    sheet_id, sheet_name = sheets[0]["id"], sheets[0]["name"]
    log(f"walkthrough with {sheet_name}")
    staff.goto(f"{CASE_ACTION}/{sheet_id}")
    staff.select(
        "responsibility",
        staff.selection_label("forklift.feedback", "responsibility", "manufacturing"),
    )
    staff.select("route", staff.selection_label("forklift.feedback", "route", "dealer"))
    staff.click(".o_notebook a.nav-link[name=verification]")
    editor = staff.page.locator(
        ".o_field_html[name=verification] .odoo-editor-editable"
    )
    editor.click()
    staff.page.keyboard.type(
        "Called the driver: glow plug relay clicks but plug 3 stays cold. "
        "Faulty glow plug, manufacturing defect."
    )
    camera.shoot(staff, "first-hour-1-verify", ".o_field_widget[name=severity]", 60)
    staff.click(".o_form_view button[name=action_verify]")
    staff.expect_state("verified")
    staff.click(".o_form_view button[name=action_create_service_order]")
    staff.page.wait_for_selector(".o_form_view button[name=action_dispatch]")
    staff.click(".o_form_view button[name=action_dispatch]")
    staff.expect_state("dispatched")
    order_id = int(staff.page.url.rstrip("/").split("/")[-1])
    camera.shoot(staff, "first-hour-2-dispatched")

    # 2. the dealer on the phone: report the work, the customer signs. The
    # page offers the arrival as now, to the minute, and the server wants it
    # after the dispatch: let the minute of the dispatch pass first.
    time.sleep(61 - datetime.now().second)
    dealer = Session(browser, url, db, "dealer", PHONE)
    dealer.goto("/my/forklift/service-orders")
    dealer.click(f"a[href^='/my/forklift/service-orders/{order_id}']")
    page = dealer.page
    page.wait_for_selector("#forklift_report_work")
    page.fill(
        "#work_done",
        "Replaced glow plug 3 and tested 5 cold starts: the engine starts at once.",
    )
    page.fill("#hour_meter", "702")
    # the photo of the failed part, without which the work is not reported
    # one of the demo's photos
    page.set_input_files(
        "#forklift_report_work #photos",
        str(ROOT / "forklift_aftersales/demo/service_order_controller_photo.jpg"),
    )
    camera.shoot(dealer, "portal-work-report", "#forklift_report_work", 330)
    dealer.click("#forklift_report_work button[type=submit]")
    page.wait_for_selector("#forklift_sign .o_web_sign_name_and_signature input")
    page.fill("#forklift_sign .o_web_sign_name_and_signature input", "Chen Gang")
    page.wait_for_timeout(800)
    camera.shoot(dealer, "portal-signature", "#forklift_signed_sheet")
    dealer.click("#forklift_sign .o_portal_sign_submit:enabled")
    page.wait_for_selector(".alert-success")
    dealer.close()

    # 3. service-center staff: register the signed order, report to QA
    staff.goto(f"{ORDER_ACTION}/{order_id}")
    staff.expect_state("signed")
    staff.click(".o_form_view button[name=action_register]")
    staff.expect_state("registered")
    staff.goto(f"{CASE_ACTION}/{sheet_id}")
    staff.expect_state("done")
    staff.click(".o_form_view button[name=action_report_to_qa]")
    staff.expect_state("reported")
    camera.shoot(staff, "first-hour-3-reported")
    staff.close()

    # 4. the service-center director closes the sheet
    director = Session(browser, url, db, "director", DESKTOP)
    director.goto(f"{CASE_ACTION}/{sheet_id}")
    director.click(".o_form_view button[name=action_close]")
    director.expect_state("closed")
    camera.shoot(director, "first-hour-4-closed")
    director.close()
    log(f"walkthrough done: {sheet_name} closed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", action="store_true", help="start a fresh server")
    parser.add_argument(
        "--db",
        help="database (default forklift_screenshots with --start, else forklift_demo)",
    )
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument(
        "--keep", action="store_true", help="with --start, keep the database"
    )
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--only", nargs="*", help="names of the screenshots to take")
    parser.add_argument(
        "--timeout", type=int, default=1200, help="seconds to wait for the server"
    )
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is not installed (setup/install.sh installs it)")
    db = args.db or ("forklift_screenshots" if args.start else "forklift_demo")
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    camera = Camera(out_dir, set(args.only or ()))
    server = (
        demo_server(db, args.keep, args.timeout)
        if args.start
        else contextlib.nullcontext(args.url.rstrip("/"))
    )
    try:
        with server as url, sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True)
            try:
                overview(browser, url, db, camera)
                dealer_files_a_sheet(browser, url, db, camera)
                if not camera.only or camera.only & WALKTHROUGH_SHOTS:
                    first_hour(browser, url, db, camera)
            finally:
                browser.close()
    except Failure as error:
        sys.exit(f"[screenshots] FAILED: {error}")
    log(f"{len(camera.taken)} screenshot(s) written")


if __name__ == "__main__":
    main()
