"""The household type-ahead (GOV.UK accessible-autocomplete): suggestions as a person types, chosen by keyboard,
no serious accessibility problems, and nothing wider than a 320 px phone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.core.db import db
from portal.people.models import Child
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def test_an_admin_chooses_a_household_by_typing_part_of_its_name(new_context, signed_in_state):
    child_id = db.session.scalar(select(Child.id).order_by(Child.id))
    context = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org"), viewport=NARROW)
    page = context.new_page()
    page.goto(f"/children/{child_id}/placements/new")
    field = page.locator("#household_id")
    field.wait_for()
    page.wait_for_selector(".autocomplete__wrapper #household_id")  # the script has taken over the input
    field.fill("Okaf")
    option = page.get_by_role("option", name="Okafor household (FH-1001)")
    option.wait_for()
    problems = serious_violations(page)
    assert not problems, json.dumps(problems, indent=2)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    field.press("ArrowDown")  # the keyboard moves into the suggestions, as a screen reader user would
    page.keyboard.press("Enter")
    assert field.input_value() == "Okafor household (FH-1001)"


def test_without_javascript_the_household_is_a_plain_text_input(new_context, signed_in_state):
    context = new_context(
        bypass_csp=True,
        java_script_enabled=False,
        storage_state=signed_in_state("admin@example.org"),
        viewport=NARROW,
    )
    page = context.new_page()
    page.goto("/payment-rates?household=household")
    assert page.locator("input#household[type=text]").count() == 1
    assert "More than one household matches" in page.locator(".govuk-error-summary").inner_text()
