"""Carers and staff reach their pages in a real browser, on a phone-sized screen."""

from __future__ import annotations

import pytest

from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import give_security_code, sign_in

pytestmark = pytest.mark.browser

NARROWEST = {"width": 320, "height": 640}


def _horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth") - page.evaluate("window.innerWidth")


def test_carer_signs_in_on_a_phone_and_sees_the_children_living_with_them(new_context):
    page = new_context().new_page()
    sign_in(page, "carer@example.org")
    assert page.url.endswith("/")
    assert page.locator("h1").inner_text() == "Hello, Sarah"
    children = page.locator(".hearth-card h3").all_inner_texts()
    assert "Jordan Reid" in children and "Millie Stone" in children
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_supervising_social_worker_signs_in_with_a_security_code_and_reaches_their_caseload(new_context):
    page = new_context().new_page()
    page.goto("/sign-in")
    page.fill("input[name=email]", "ssw@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/sign-in/security-code")
    # Until the code is given, a staff member gets no further than the prompt.
    page.goto("/")
    assert "/sign-in/security-code" in page.url
    give_security_code(page)
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)
    assert page.get_by_role("heading", name="Your caseload").is_visible()
    assert page.locator("table.hearth-table--stack tbody tr").count() >= 1
    assert page.get_by_role("link", name="Okafor household").is_visible()


def test_sign_in_page_fits_the_narrowest_phone_without_sideways_scrolling(new_context):
    page = new_context(viewport=NARROWEST).new_page()
    page.goto("/sign-in")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert _horizontal_overflow(page) <= 0


@pytest.mark.parametrize("email", ["carer@example.org", "admin@example.org"])
def test_home_page_fits_the_narrowest_phone_without_sideways_scrolling(new_context, signed_in_state, email):
    page = new_context(viewport=NARROWEST, storage_state=signed_in_state(email)).new_page()
    page.goto("/")
    assert "/sign-in" not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The signed-in bar wraps rather than pushing the sign-out button off screen.
    box = page.get_by_role("button", name="Sign out").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_staff_tables_stack_on_the_narrowest_phone(new_context, signed_in_state):
    page = new_context(viewport=NARROWEST, storage_state=signed_in_state("admin@example.org")).new_page()
    page.goto("/households")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
