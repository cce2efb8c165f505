"""A carer claims mileage and an expense with a receipt photo on a phone; business support approve, batch and pay."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from tests.browser.conftest import image_loaded, reload_until, serious_violations

pytestmark = pytest.mark.browser


def _receipt(tmp_path) -> str:
    path = tmp_path / "receipt.jpg"
    Image.new("RGB", (900, 1400), (250, 250, 245)).save(path, "JPEG", quality=85)
    return str(path)


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def _approve(page, claim_url: str) -> None:
    page.goto(claim_url)
    _accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()
    page.wait_for_url(re.compile(r"/claims/queue"))


def test_carer_claims_and_business_support_approve_batch_and_pay(new_context, signed_in_state, tmp_path):
    carer = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org")).new_page()
    carer.goto("/claims/new")
    _accessible(carer)
    carer.get_by_label("Mileage").check()
    carer.get_by_role("button", name="Continue").click()
    carer.wait_for_url(re.compile(r"/claims/new/mileage"))
    _accessible(carer)
    carer.get_by_label("Car or van").check()
    carer.fill("input[name=from_place]", "Home")
    carer.fill("input[name=to_place]", "NS1 4AB")
    carer.get_by_label("Family time or contact").check()
    carer.fill("input[name=miles]", "10")
    carer.get_by_label("Millie Stone").check()
    # The amount appears as the carer types (worked out again by the server on saving).
    estimate = carer.locator("[data-claims-amount]")
    estimate.wait_for(state="visible")
    assert "£5.50" in estimate.inner_text()  # 10 miles at 55p (2026-27)
    carer.get_by_role("button", name="Save journey").click()
    carer.wait_for_url(re.compile(r"/claims/\d+$"))
    _accessible(carer)
    mileage_url = carer.url
    carer.get_by_role("button", name=re.compile(r"Send claim for £5\.50")).click()
    carer.wait_for_url(mileage_url)
    assert "Submitted" in carer.locator("main").inner_text()

    carer.goto("/claims/new/expense")
    _accessible(carer)
    carer.get_by_label("Clothing").check()
    carer.fill("input[name=amount]", "£12.50")
    carer.get_by_label("Millie Stone").check()
    carer.set_input_files("input[name=receipt]", _receipt(tmp_path))
    carer.get_by_role("button", name="Save expense").click()
    carer.wait_for_url(re.compile(r"/claims/\d+$"))
    reload_until(carer, "img.hearth-thumb")  # the worker checks the receipt in the background
    thumb = carer.locator("img.hearth-thumb")
    assert thumb.count() == 1 and image_loaded(carer, thumb)
    expense_url = carer.url
    carer.get_by_role("button", name=re.compile(r"Send claim for £12\.50")).click()
    carer.wait_for_url(expense_url)
    carer.goto("/claims")
    _accessible(carer)

    support = new_context(bypass_csp=True, storage_state=signed_in_state("support@example.org")).new_page()
    support.goto("/claims/queue")
    _accessible(support)
    _approve(support, mileage_url)
    _approve(support, expense_url)
    support.goto("/payment-batches/new")
    _accessible(support)
    _ticking_updates_the_summary(support)
    support.get_by_label("All approved claims up to today").check()
    support.get_by_role("button", name="Make the batch").click()
    support.wait_for_url(re.compile(r"/payment-batches/\d+$"))
    _accessible(support)
    support.fill("input[name=reference]", "BACS-2026-001")
    support.get_by_role("button", name="Mark batch paid").click()
    support.wait_for_load_state()
    assert "BACS-2026-001" in support.locator("main").inner_text()
    support.goto("/payment-batches")
    _accessible(support)

    carer.goto(mileage_url)
    text = carer.locator("main").inner_text()
    assert "Paid" in text and "BACS-2026-001" in text
    _accessible(carer)


@pytest.mark.parametrize("path", ["/claims/mileage-rates", "/claims/mileage-rates/new"])
def test_admin_rate_pages_have_no_serious_accessibility_problems(new_context, signed_in_state, path):
    page = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org")).new_page()
    page.goto(path)
    assert "/sign-in" not in page.url
    _accessible(page)


def test_an_amount_and_miles_show_how_they_are_read_as_they_are_typed(new_context, signed_in_state):
    carer = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org")).new_page()
    carer.set_viewport_size({"width": 320, "height": 800})
    carer.goto("/claims/new/allowance")
    carer.fill("input[name=amount]", "12,50")
    reading = carer.locator("#amount-reading")
    reading.wait_for(state="visible")
    assert reading.inner_text() == "Reads as £12.50"  # never £1,250.00
    carer.fill("input[name=amount]", "1.250")
    carer.wait_for_function("document.getElementById('amount-reading').textContent.startsWith('Check this')")
    assert "did you mean £1,250.00?" in reading.inner_text()
    _accessible(carer)
    carer.goto("/claims/new/mileage")
    carer.fill("input[name=miles]", "7,3")
    miles = carer.locator("#miles-reading")
    miles.wait_for(state="visible")
    assert miles.inner_text() == "Reads as 7.3"
    assert carer.evaluate("document.documentElement.scrollWidth") <= 320


def _ticking_updates_the_summary(page) -> None:
    """The "You have ticked" line follows the boxes as they are ticked, before the form is sent (static/js/batch.js)."""
    summary = page.locator("#ticked-summary")
    assert summary.inner_text() == "0 claims, £0.00"
    first, second = page.locator("input[name=claim_ids]").nth(0), page.locator("input[name=claim_ids]").nth(1)
    pence = [int(box.get_attribute("data-pence")) for box in (first, second)]
    first.check()
    assert summary.inner_text() == f"1 claim, £{pence[0] / 100:,.2f}"
    second.check()
    assert summary.inner_text() == f"2 claims, £{sum(pence) / 100:,.2f}"
    first.uncheck()
    second.uncheck()
    assert summary.inner_text() == "0 claims, £0.00"
