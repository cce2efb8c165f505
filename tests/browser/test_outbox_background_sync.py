"""Background Sync in real Chromium: the service worker sends what waits in the outbox with no page open, and an
open page says what it sent (the phone and its unpluggable relay: conftest.py's `phone` and `relay`)."""

from __future__ import annotations

import time

import pytest

from portal.records.models import LogEntry
from tests.browser.conftest import sign_in
from tests.browser.test_offline import _wait_for_worker
from tests.browser.test_outbox import _count, _fill_log, _go_offline, _go_online

pytestmark = pytest.mark.browser


def test_background_sync_sends_what_waits_with_no_page_open(phone, relay):
    """The service worker's `sync` handler sends on its own: the page that queued the entry is gone."""
    context = phone()
    page = context.new_page()
    sign_in(page, "carer@example.org")
    _wait_for_worker(page)
    page.goto("/logs/new")
    _go_offline(context, relay)
    _fill_log(page, "Sent by Background Sync")
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_selector("#hearth-outbox")
    page.goto("about:blank")  # no Hearth page left to send it
    _go_online(context, relay)
    assert _count(LogEntry, LogEntry.body == "Sent by Background Sync") == 0

    _dispatch_sync(context, page, relay)
    deadline = time.monotonic() + 15
    while _count(LogEntry, LogEntry.body == "Sent by Background Sync") == 0:
        assert time.monotonic() < deadline, "the service worker never sent the entry"
        page.wait_for_timeout(250)
    page.goto("/logs/new")
    page.wait_for_load_state("networkidle")
    assert page.locator("#hearth-outbox").count() == 0, "the entry was still waiting after it was sent"
    assert _count(LogEntry, LogEntry.body == "Sent by Background Sync") == 1


def _dispatch_sync(context, page, relay) -> None:
    """Fire the service worker's Background Sync event now, as the browser does when the connection comes back."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    (registration,) = [r for r in registrations if not r.get("isDeleted")]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": f"http://localhost:{relay.port}",
            "registrationId": registration["registrationId"],
            "tag": "hearth-outbox",
            "lastChance": False,
        },
    )


def test_an_open_page_says_what_background_sync_sent(phone, relay):
    """When the connection comes back, the browser's Background Sync and the open page both try to send, one after
    the other (the outbox's lock). When the service worker goes first, the page's own attempt finds nothing left:
    the page says what was sent from the worker's message, with a link to it, as when it sends it itself; another
    person's entries sent on this phone are not listed."""
    context = phone()
    page = context.new_page()
    sign_in(page, "carer@example.org")
    _wait_for_worker(page)
    page.goto("/logs/new")
    _go_offline(context, relay)
    _fill_log(page, "Sent by the worker, page open")
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_function("() => /1 waiting to send/.test(document.querySelector('#hearth-outbox')?.textContent)")
    # What the service worker does: the entry leaves the outbox, and every open page is told what was sent.
    worker_sent = """async ([who, title]) => {
        const user = document.body.dataset.user;
        for (const entry of await HearthOutbox.list(user)) await HearthOutbox.remove(user, entry.id);
        const sent = [{ title, url: "/logs" }];
        const data = { type: "hearth:outbox", state: "sent", user: who === "me" ? user : "0", sent };
        navigator.serviceWorker.dispatchEvent(new MessageEvent("message", { data }));
    }"""
    page.evaluate(worker_sent, ["someone else", "Not mine"])
    page.wait_for_selector("#hearth-outbox", state="detached")
    page.evaluate(worker_sent, ["me", "Log entry: Sent by the worker, page open"])
    page.wait_for_function("() => /Everything waiting on this phone has been sent/.test(document.body.textContent)")
    outbox = page.locator("#hearth-outbox")
    assert "Log entry: Sent by the worker, page open" in outbox.inner_text()
    assert "Not mine" not in outbox.inner_text()
    assert outbox.get_by_role("link", name="see what was sent").get_attribute("href") == "/logs"
