"""On a phone: the coordinator matches a waiting applicant, the mentor accepts, they exchange messages with a photo,
and the mentor logs a contact that appears in the next pay-run preview. axe checks every mentoring page on the way."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from PIL import Image

from portal.core.clock import today
from tests.browser.conftest import image_loaded, reload_until, serious_violations

pytestmark = pytest.mark.browser


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def test_coordinator_matches_mentor_accepts_they_talk_and_the_contact_is_paid(new_context, signed_in_state, tmp_path):
    staff = new_context(bypass_csp=True, storage_state=signed_in_state("coordinator@example.org")).new_page()
    staff.goto("/mentoring/batch")
    _accessible(staff)
    staff.get_by_role("link", name="Chloe Martin", exact=True).click()
    staff.wait_for_url(re.compile(r"/mentoring/mentees/\d+$"))
    mentee_url = staff.url
    assert "neighbouring locality" in staff.locator("main").inner_text()
    _accessible(staff)
    staff.get_by_role("button", name=re.compile("Ask Margaret Hughes")).click()
    staff.wait_for_load_state()
    assert "has been asked" in staff.locator("main").inner_text()
    _accessible(staff)

    mentor = new_context(bypass_csp=True, storage_state=signed_in_state("mentor@example.org")).new_page()
    mentor.goto("/mentoring")
    _accessible(mentor)
    mentor.get_by_role("link", name="Chloe Martin", exact=True).click()
    _accessible(mentor)
    mentor.get_by_label("Yes").check()
    mentor.get_by_role("button", name="Send your answer").click()
    mentor.wait_for_load_state()
    assert "coordinator will introduce you" in mentor.locator("main").inner_text()

    staff.goto(mentee_url)
    staff.get_by_role("button", name="Introduce them").click()
    staff.wait_for_load_state()
    assert "can now message each other" in staff.locator("main").inner_text()

    photo = tmp_path / "garden.jpg"
    Image.new("RGB", (640, 480), "green").save(photo, "JPEG")
    mentor.goto("/mentoring")
    mentor.get_by_role("link", name="Messages with Chloe Martin").click()
    _accessible(mentor)
    mentor.get_by_label("Your message").fill("Welcome Chloe! Here is our garden where we meet.")
    mentor.get_by_label("Add a photo or document (optional)").set_input_files(str(photo))
    mentor.get_by_role("button", name="Send").click()
    mentor.wait_for_load_state()
    assert "Your message has been sent" in mentor.locator("main").inner_text()

    applicant = new_context(bypass_csp=True, storage_state=signed_in_state("chloe.applicant@example.org")).new_page()
    applicant.goto("/")
    assert "1 new mentoring message" in applicant.locator("main").inner_text()
    assert (
        "Mentoring (1 new)" in applicant.locator("nav").first.inner_text() or "Mentoring (1 new)" in applicant.content()
    )
    applicant.goto("/mentoring")
    applicant.get_by_role("link", name="Messages with Margaret Hughes").click()
    reload_until(applicant, "main img")
    assert image_loaded(applicant, applicant.locator("main img").first)
    _accessible(applicant)
    # Reading the conversation on screen marks it read: the menu no longer counts the message.
    applicant.wait_for_selector("form[data-hearth-read-on-view]", state="hidden")
    applicant.goto("/")
    assert "Mentoring (1 new)" not in applicant.content()
    applicant.go_back()
    applicant.get_by_label("Your message").fill("Thank you, see you on Thursday.")
    applicant.get_by_role("button", name="Send").click()
    applicant.wait_for_load_state()

    mentor.reload()
    assert "see you on Thursday" in mentor.locator("main").inner_text()

    # A contact with the mentor's longer-standing mentee on the last day of the next pay period (which has ended, as
    # periods are paid in arrears): the next pay run pays it. The period is read from the pay runs page, as business
    # support would, since where it ends depends on today's date.
    support = new_context(bypass_csp=True, storage_state=signed_in_state("support@example.org")).new_page()
    support.goto("/pay-runs")
    period_end = re.search(r"The next pay period is .+? to (\d{1,2} \w+ \d{4})", support.locator("main").inner_text())
    day = datetime.strptime(period_end.group(1), "%d %B %Y").date()
    assert day < today()
    mentor.goto("/mentoring")
    mentor.get_by_role("link", name="Leila Haddad", exact=True).click()
    mentor.get_by_role("link", name="Log a contact").click()
    _accessible(mentor)
    mentor.fill("input[name='contact_on-day']", str(day.day))
    mentor.fill("input[name='contact_on-month']", str(day.month))
    mentor.fill("input[name='contact_on-year']", str(day.year))
    mentor.get_by_label("How long, in minutes").fill("37")
    mentor.get_by_label("Phone").check()
    mentor.get_by_label("TSD standards").check()
    mentor.get_by_role("button", name="Log the contact").click()
    mentor.wait_for_load_state()
    assert "paid in the next pay run" in mentor.locator("main").inner_text()

    support.goto("/pay-runs")
    support.get_by_role("button", name="Make the next pay run").click()
    support.wait_for_url(re.compile(r"/pay-runs/\d+$"))
    assert "contact with Leila, 37 minutes" in support.locator("main").inner_text()
    support.get_by_role("button", name="Discard this draft").click()  # leaves the run for the payments journey
    support.wait_for_load_state()


@pytest.mark.parametrize(
    "path",
    [
        "/mentoring/mentees",
        "/mentoring/mentees/invite",
        "/mentoring/fairness",
        "/mentoring/conversations",
        "/mentoring/reports",
        "/mentoring/report",
        "/mentoring/localities",
    ],
)
def test_coordinator_pages_have_no_serious_accessibility_problems(new_context, signed_in_state, path):
    page = new_context(bypass_csp=True, storage_state=signed_in_state("coordinator@example.org")).new_page()
    assert page.goto(path).ok
    _accessible(page)


@pytest.mark.parametrize("path", ["/mentoring/profile", "/mentoring/contacts"])
def test_mentor_pages_have_no_serious_accessibility_problems(new_context, signed_in_state, path):
    page = new_context(bypass_csp=True, storage_state=signed_in_state("mentor@example.org")).new_page()
    assert page.goto(path).ok
    _accessible(page)


def test_the_batch_fits_the_narrowest_phone(new_context, signed_in_state):
    page = new_context(
        viewport={"width": 320, "height": 640},
        bypass_csp=True,
        storage_state=signed_in_state("coordinator@example.org"),
    ).new_page()
    page.goto("/mentoring/batch")
    assert page.locator("main select").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
