"""Support groups and the information hub in Chromium on a phone (375 × 667): a carer finds a local group, adds its
next meeting to their calendar and reads the handbook offline; axe on every new page."""

from __future__ import annotations

import json
import time
from pathlib import Path

import icalendar
import pytest

from tests.browser.conftest import serious_violations
from tests.browser.test_offline import _wait_for_worker

pytestmark = pytest.mark.browser


def test_a_carer_finds_a_local_group_adds_its_next_meeting_and_reads_the_handbook_offline(new_context, signed_in_state):
    context = new_context(storage_state=signed_in_state("carer@example.org"), accept_downloads=True)
    page = context.new_page()
    page.goto("/")
    _wait_for_worker(page)
    page.get_by_role("link", name="Find a support group near you").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Support groups"
    first = page.locator(".hearth-card").first
    assert "(your area)" in first.inner_text() and "North Shire" in first.inner_text()
    first.get_by_role("link").click()
    page.wait_for_load_state()
    name = page.locator("h1").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar").first.click()
    ics = Path(download.value.path()).read_bytes()
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["summary"]) == name and str(event.decoded("dtstart").tzinfo) == "Europe/London"

    page.get_by_role("button", name="I'm coming").first.click()
    page.wait_for_load_state()
    assert "You said you are coming" in page.content()

    page.goto("/information")
    page.get_by_role("link", name="Welcome to fostering with us").click()
    page.wait_for_load_state()
    handbook = page.url
    assert "Sarah Okafor" in page.content()
    # The worker keeps the page's offline copy in the background once the page has loaded.
    path = "/" + handbook.split("/", 3)[3]
    deadline = time.monotonic() + 15
    while not page.evaluate("async (path) => !!(await caches.match(path))", path):
        assert time.monotonic() < deadline, "the handbook page was never kept for reading offline"
        time.sleep(0.2)
    context.set_offline(True)
    page.goto(handbook)
    assert page.locator("h1").inner_text() == "Welcome to fostering with us"
    assert "kept on this device" in page.content()
    assert "Sarah" not in page.content() and "Sign out" not in page.content()
    context.set_offline(False)


CARER_PAGES = ["/groups", "/groups/1", "/calendar", "/groups/introductions", "/information", "/information/1",
               "/information/6", "/information/1/offline-copy", "/newsletters", "/search?q=allowance", "/help"]  # fmt: skip
COORDINATOR_PAGES = ["/groups/mine", "/groups/1/edit", "/groups/1/announcements", "/groups/1/coordinators",
                     "/groups/1/withdraw"]  # fmt: skip
ADMIN_PAGES = ["/groups/new", "/groups/school-holidays", "/information/manage", "/information/new",
               "/information/1/edit", "/information/contacts", "/information/contacts/new", "/newsletters/new"]  # fmt: skip
SSW_PAGES = ["/account/contact-details"]


@pytest.mark.parametrize(
    "email,paths",
    [
        ("carer@example.org", CARER_PAGES),
        ("mentor@example.org", COORDINATOR_PAGES),
        ("admin@example.org", ADMIN_PAGES),
        ("ssw@example.org", SSW_PAGES),
    ],
    ids=["carer", "coordinator", "admin", "ssw"],
)
def test_new_pages_have_no_serious_accessibility_problems(new_context, signed_in_state, email, paths):
    context = new_context(bypass_csp=True, storage_state=signed_in_state(email))
    page = context.new_page()
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        assert "/sign-in" not in page.url, f"{path} sent {email} to sign in"
        found = serious_violations(page)
        if found:
            problems[path] = found
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            f"{path} scrolls sideways"
        )
    assert not problems, json.dumps(problems, indent=2)


def test_a_coordinator_sees_who_is_coming_to_a_meeting(new_context, signed_in_state):
    page = new_context(bypass_csp=True, storage_state=signed_in_state("mentor@example.org")).new_page()
    page.goto("/groups/1")
    page.get_by_role("link", name="Who is coming, move or cancel").first.click()
    page.wait_for_load_state()
    assert "Who is coming" in page.content()
    assert not serious_violations(page)


def test_a_coordinator_finds_how_to_share_or_withdraw_their_group_on_a_phone(new_context, signed_in_state):
    page = new_context(bypass_csp=True, storage_state=signed_in_state("mentor@example.org")).new_page()
    page.goto("/groups/1")
    page.get_by_role("link", name="Change who runs the group").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Who runs the group"
    assert page.get_by_role("checkbox").count() >= 1
    assert not serious_violations(page)
    page.go_back()
    page.get_by_role("link", name="Withdraw the group").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Withdraw this group"
    assert page.get_by_role("button", name="Withdraw the group").is_visible()
    assert not serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
