"""Real Chromium against the real app: a live server on a loopback port (at http://localhost) with the demo data,
one per test package."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
from werkzeug.serving import make_server

from portal.app import create_app
from portal.core.db import db
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.browser.relay import Relay
from tests.conftest import _empty_tables
from tests.demo_copy import DEMO
from tests.jobs import worker_running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # served beside the app by the live server (`_with_axe`)
PHONE = {"width": 375, "height": 667}


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="package")
def live_server(database_url, tmp_path_factory):
    """The app served by werkzeug in a background thread with a job worker, the demo service loaded; emptied after."""
    app = create_app(
        {
            "HEARTH_ENV": "test",
            "DATABASE_URL": database_url,
            "VAR_DIR": str(tmp_path_factory.mktemp("browser-var")),
            "SECRET_KEY": "browser-test-secret-" + "x" * 32,
            "MAIL_BACKEND": "file",
        }
    )
    ctx = app.app_context()
    ctx.push()
    DEMO.put_into(app)
    server = make_server("127.0.0.1", 0, _with_axe(app), threaded=True)
    # Browsers refuse an IP address as a passkey's relying party: pages are opened at localhost, as in the demo.
    base_url = f"http://localhost:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with worker_running():  # uploads and emails are processed by a worker, as in production
            yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
        ctx.pop()


def _with_axe(app):
    """The app, with axe-core answered at AXE_PATH for `serious_violations`: a browser profile fetches it once and
    keeps it (sending its 650 KB through Playwright into every page checked took 0.1 s a page, longer than most of
    the checks)."""
    body = AXE.read_bytes()
    headers = [
        ("Content-Type", "text/javascript"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "max-age=3600"),
    ]

    def serve(environ, start_response):
        if environ.get("PATH_INFO") != AXE_PATH:
            return app(environ, start_response)
        start_response("200 OK", headers)
        return [body]

    return serve


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """Fresh browser profiles (cookies, caches, service workers) for one test; all closed at its end."""
    opened = []

    def make(**options):
        context = browser.new_context(base_url=live_server, viewport=options.pop("viewport", PHONE), **options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def sign_in(page, email: str) -> None:
    """Through the real pages, with a fresh security code for staff."""
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if "/sign-in/security-code" in page.url:
        give_security_code(page)


def give_security_code(page) -> None:
    """Enter the demo staff code on the security-code page. Staff share one secret and a code is refused once used
    (replays), so when another test took this 30-second step's code, wait for the next step and enter that."""
    for attempt in range(2):
        if attempt:
            time.sleep(30.5 - time.time() % 30)
        page.fill("input[name=code]", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_load_state()
        if "/sign-in/security-code" not in page.url:
            return


@pytest.fixture(scope="package")
def signed_in_state(browser, live_server):
    """Cookies of a signed-in person, made once per person: a security code cannot be used twice."""
    states: dict[str, dict] = {}

    def state_for(email: str) -> dict:
        if email not in states:
            context = browser.new_context(base_url=live_server)
            page = context.new_page()
            sign_in(page, email)
            assert "/sign-in" not in page.url, f"{email} could not sign in"
            states[email] = context.storage_state()
            context.close()
        return states[email]

    return state_for


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page (the context needs bypass_csp=True to inject axe)."""
    from playwright.sync_api import Error

    try:
        page.add_script_tag(url=AXE_PATH)
    except Error:  # an offline page cannot fetch it: it is sent in whole
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert len(results["passes"]) > 10, "axe did not check the page"
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def image_loaded(page, locator) -> bool:
    """True once the picture has arrived and decoded (a page shown in place may still be fetching it)."""
    return page.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)", locator.element_handle())


def reload_until(page, ready, *, timeout: float = 30) -> None:
    """Reload the page until `ready` (a selector, or a function of the page) holds, as a person would: the worker
    processes uploads and exports in the background."""
    import time

    check = (lambda p: p.locator(ready).count() > 0) if isinstance(ready, str) else ready
    deadline = time.monotonic() + timeout
    while not check(page):
        assert time.monotonic() < deadline, f"{ready} never held on {page.url}"
        time.sleep(0.5)
        page.reload()


# The offline outbox's phones (test_outbox*.py): a browser profile that reaches Hearth through a relay that can be
# unplugged, as Playwright's offline switch does not reach the service worker's own requests.
@pytest.fixture
def relay(live_server):
    r = Relay(urlparse(live_server).port)
    yield r
    r.close()


@pytest.fixture
def phone(browser, relay):
    """A fresh phone (browser profile) that reaches Hearth through the relay."""
    opened = []

    def make(**options):
        context = browser.new_context(base_url=f"http://localhost:{relay.port}", viewport=PHONE, **options)
        context.set_default_timeout(20_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()
