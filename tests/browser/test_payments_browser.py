"""Business support check and confirm a pay run on a phone; the carer opens the payment and downloads its PDF."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def test_business_support_confirm_a_pay_run_and_the_carer_downloads_the_payment(new_context, signed_in_state):
    staff = new_context(bypass_csp=True, storage_state=signed_in_state("support@example.org")).new_page()
    staff.goto("/pay-runs")
    _accessible(staff)
    staff.get_by_role("button", name="Make the next pay run").click()
    staff.wait_for_url(re.compile(r"/pay-runs/\d+$"))
    main = staff.locator("main").inner_text()
    assert "Okafor household" in main and "Millie, 5-10 band" in main and "nights ×" in main
    _accessible(staff)
    staff.get_by_role("button", name="Confirm pay run").click()
    staff.wait_for_load_state()
    assert "is confirmed" in staff.locator("main").inner_text()
    _accessible(staff)

    carer = new_context(
        bypass_csp=True, accept_downloads=True, storage_state=signed_in_state("carer@example.org")
    ).new_page()
    carer.goto("/payments")
    assert "Your next payment" in carer.locator("main").inner_text()
    _accessible(carer)
    carer.locator("table a.govuk-link").first.click()
    carer.wait_for_url(re.compile(r"/payments/\d+$"))
    assert "Millie" in carer.locator("main").inner_text()
    _accessible(carer)
    with carer.expect_download() as download:
        carer.get_by_role("link", name="Download PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    statements = carer.goto("/payments")
    assert statements.ok
    link = carer.get_by_role("link", name=re.compile(r"Tax year 6 April 2025"))
    link.click()
    carer.wait_for_load_state()
    assert "not tax advice" in carer.locator("main").inner_text()
    _accessible(carer)


def test_admin_rate_pages_have_no_serious_accessibility_problems(new_context, signed_in_state):
    admin = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org")).new_page()
    for url in ("/payment-rates", "/payment-rates/new", "/payment-settings"):
        admin.goto(url)
        assert admin.locator("h1").count() == 1
        _accessible(admin)
    admin.goto("/payment-rates")
    assert "Important" in admin.locator("main").inner_text()
    admin.get_by_role("link", name=re.compile("Change", re.I)).first.click()
    admin.wait_for_load_state()
    _accessible(admin)
