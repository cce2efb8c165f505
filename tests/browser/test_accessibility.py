"""axe-core finds no serious or critical accessibility problems on the main pages, on a phone and on a desktop."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import serious_violations as _serious_violations

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def _check(context, path: str) -> None:
    page = context.new_page()
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    assert "/sign-in" not in page.url or path == "/sign-in", f"{path} sent us to sign in"
    problems = _serious_violations(page)
    assert not problems, f"{path}: " + json.dumps(problems, indent=2)


@pytest.mark.parametrize("viewport", [None, DESKTOP], ids=["phone", "desktop"])
def test_sign_in_page_has_no_serious_accessibility_problems(new_context, viewport):
    _check(new_context(bypass_csp=True, **({"viewport": viewport} if viewport else {})), "/sign-in")


def test_sign_in_page_with_errors_has_no_serious_accessibility_problems(new_context):
    page = new_context(bypass_csp=True).new_page()
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_selector(".govuk-error-summary")
    assert not _serious_violations(page)


@pytest.mark.parametrize("viewport", [None, DESKTOP], ids=["phone", "desktop"])
def test_carer_home_page_has_no_serious_accessibility_problems(new_context, signed_in_state, viewport):
    context = new_context(
        bypass_csp=True,
        storage_state=signed_in_state("carer@example.org"),
        **({"viewport": viewport} if viewport else {}),
    )
    _check(context, "/")


def test_admin_users_list_has_no_serious_accessibility_problems(new_context, signed_in_state):
    context = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org"), viewport=DESKTOP)
    _check(context, "/admin/users")


def test_household_page_has_no_serious_accessibility_problems(new_context, signed_in_state):
    context = new_context(bypass_csp=True, storage_state=signed_in_state("admin@example.org"))
    page = context.new_page()
    page.goto("/households")
    page.get_by_role("link", name="Okafor household").first.click()
    page.wait_for_load_state()
    assert "/households/" in page.url
    problems = _serious_violations(page)
    assert not problems, json.dumps(problems, indent=2)


def test_offline_and_error_pages_have_no_serious_accessibility_problems(new_context):
    context = new_context(bypass_csp=True)
    _check(context, "/offline")
    page = context.new_page()
    page.goto("/no-such-page")
    assert not _serious_violations(page)
