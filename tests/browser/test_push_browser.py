"""Web push in real Chromium: the service worker's push handler shows a message delivered through the DevTools
protocol (headless Chromium has no vendor push service to subscribe to); the offer to turn notifications on shows
only what can work (steps to add to the home screen on an iPhone); the unread count is in sight on a phone; axe
finds no serious problems on the new pages."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _registration_id(page, cdp) -> str:
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(r["registrationId"] for r in event["registrations"] if not r["isDeleted"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found:
        assert time.monotonic() < deadline, "the service worker's registration was never reported"
        page.wait_for_timeout(100)  # lets Playwright deliver the protocol's events
    return found[0]


def _notifications(page) -> list[dict]:
    return page.evaluate(
        """async () => (await (await navigator.serviceWorker.ready).getNotifications())
            .map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data}))"""
    )


def test_the_service_worker_shows_a_pushed_notice_with_the_page_to_open(new_context, signed_in_state, live_server):
    context = new_context(storage_state=signed_in_state("carer@example.org"))
    context.grant_permissions(["notifications"], origin=live_server)
    page = context.new_page()
    page.goto("/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = context.new_cdp_session(page)
    registration = _registration_id(page, cdp)
    payload = {"title": "Hearth", "body": "A claim needs your answer", "url": "/claims/42", "tag": "claim:42:q"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server, "registrationId": registration, "data": json.dumps(payload)},
    )
    deadline = time.monotonic() + 10
    while not (shown := _notifications(page)):
        assert time.monotonic() < deadline, "no notification was shown"
        page.wait_for_timeout(200)
    assert shown == [
        {"title": "Hearth", "body": "A claim needs your answer", "tag": "claim:42:q", "data": {"page": "/claims/42"}}
    ]
    # A push with a link to another site, or no data at all, still opens Hearth's own notifications page.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server, "registrationId": registration, "data": json.dumps({"url": "https://evil.example/"})},
    )
    deadline = time.monotonic() + 10
    while len(shown := _notifications(page)) < 2:
        assert time.monotonic() < deadline, "the second notification was not shown"
        page.wait_for_timeout(200)
    assert {"title": "Hearth", "body": "You have a new notice", "tag": "", "data": {"page": "/notifications"}} in shown


def test_the_click_handler_opens_only_pages_of_hearth():
    script = ROOT / "static" / "js" / "service-worker-push.js"
    cases = {
        "/claims/42": "/claims/42",
        "/payments/7?from=push#top": "/payments/7?from=push#top",
        "https://evil.example/x": "/notifications",
        "//evil.example/x": "/notifications",
        "/\\\\evil.example": "/notifications",
        "javascript:alert(1)": "/notifications",
        "": "/notifications",
    }
    program = (
        "global.self = {addEventListener() {}, location: {origin: 'https://hearth.example'}};"
        f"const {{pageForNotice}} = require({json.dumps(str(script))});"
        f"const cases = {json.dumps(list(cases))};"
        "console.log(JSON.stringify(cases.map((url) => pageForNotice({url}, self.location.origin))));"
        "console.log(JSON.stringify([pageForNotice(null, self.location.origin), pageForNotice({url: 7}, 'x')]));"
    )
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True).stdout.splitlines()
    assert json.loads(out[0]) == list(cases.values())
    assert json.loads(out[1]) == ["/notifications", "/notifications"]


def test_an_iphone_not_added_to_the_home_screen_is_shown_the_steps_not_a_prompt(new_context, signed_in_state):
    context = new_context(storage_state=signed_in_state("carer@example.org"), user_agent=IPHONE_SAFARI)
    page = context.new_page()
    page.goto("/account/notifications")
    steps = page.locator("[data-push-when=ios-install]")
    steps.wait_for(state="visible")
    assert "Add to Home Screen" in steps.inner_text()
    assert not page.get_by_role("button", name="Turn on notifications on this device").is_visible()


def test_a_browser_that_can_receive_pushes_is_offered_the_switch(new_context, signed_in_state):
    page = new_context(storage_state=signed_in_state("carer@example.org")).new_page()
    page.goto("/account/notifications")
    page.get_by_role("button", name="Turn on notifications on this device").wait_for(state="visible")
    assert not page.locator("[data-push-when=ios-install]").is_visible()


def test_the_offer_is_never_made_on_a_first_visit(new_context, signed_in_state):
    page = new_context(storage_state=signed_in_state("carer@example.org")).new_page()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not page.locator("[data-hearth-push-offer]").is_visible()


def test_the_unread_count_is_in_sight_beside_the_menu_on_a_phone(new_context, signed_in_state):
    page = new_context(storage_state=signed_in_state("carer@example.org")).new_page()
    page.goto("/")
    badge = page.locator(".hearth-unread__link")
    assert badge.is_visible()
    assert page.get_by_role("button", name="Menu").is_visible()
    assert not page.locator(".govuk-service-navigation__list").is_visible()  # the menu is folded away
    name = badge.evaluate("a => a.textContent.replace(/\\s+/g, ' ').trim()")
    assert name.startswith("Notifications: ") and name.endswith(" new")
    box = badge.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= 375
    badge.click()
    page.wait_for_url("**/notifications")


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("carer@example.org", "/account/notifications"),
        ("ssw@example.org", "/account/notifications"),
        ("ssw@example.org", "/"),
        ("support@example.org", "/"),
        ("carer@example.org", "/notifications"),
    ],
)
def test_new_pages_have_no_serious_accessibility_problems(new_context, signed_in_state, email, path):
    page = new_context(bypass_csp=True, storage_state=signed_in_state(email)).new_page()
    assert page.goto(path).ok
    assert "/sign-in" not in page.url
    problems = serious_violations(page)
    assert not problems, json.dumps(problems, indent=2)


def test_the_offer_comes_after_an_action_on_a_later_visit_and_not_again_once_answered(new_context, signed_in_state):
    from portal.auth.models import User
    from portal.core.db import db
    from portal.core.notify import notify_in_app

    carer = db.session.query(User).filter_by(email="carer@example.org").one()
    notify_in_app(carer.id, "Payment made: £250.00 on 3 March 2027", "/payments", kind="payment_made")
    db.session.commit()
    context = new_context(storage_state=signed_in_state("carer@example.org"))
    first = context.new_page()
    first.goto("/notifications")  # the first visit
    first.wait_for_load_state("networkidle")
    assert not first.locator("[data-hearth-push-offer]").is_visible()
    later = context.new_page()  # a new tab: a later visit
    later.goto("/notifications")
    later.get_by_role("button", name="Mark all as read").click()
    later.wait_for_load_state()
    offer = later.locator("[data-hearth-push-offer]")
    offer.get_by_role("button", name="Turn on notifications").wait_for(state="visible")
    assert "never who or what it is about" in offer.inner_text()
    offer.get_by_role("button", name="Not now").click()
    assert not offer.is_visible()
    notify_in_app(carer.id, "Payment made: £10.00 on 4 March 2027", "/payments", kind="payment_made")
    db.session.commit()
    later.goto("/notifications")
    later.get_by_role("button", name="Mark all as read").click()
    later.wait_for_load_state("networkidle")
    assert not later.locator("[data-hearth-push-offer]").is_visible()  # answered: never asked again
