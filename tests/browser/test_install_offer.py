"""The offer to install Hearth: after a few visits, never on the first, and declined for good when asked."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serious_violations, sign_in

pytestmark = pytest.mark.browser


OFFER = """() => {
  const event = new Event('beforeinstallprompt', {cancelable: true});
  event.prompt = () => { window.prompted = true; };
  event.userChoice = Promise.resolve({outcome: 'dismissed'});
  window.dispatchEvent(event);
}"""


def test_the_install_offer_comes_after_a_few_visits_and_can_be_declined_for_good(new_context):
    context = new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, "carer@example.org")  # the first visit
    for visit in (1, 2, 3):
        if visit > 1:
            page.close()
            page = context.new_page()  # a new visit: the app opened again
            page.goto("/")
        page.wait_for_load_state("networkidle")
        page.evaluate(OFFER)
        page.wait_for_timeout(300)
        offered = page.locator("#hearth-install").count() == 1
        assert offered == (visit == 3), f"visit {visit}"
    assert not serious_violations(page)
    page.get_by_role("button", name="Do not ask again").click()
    assert page.locator("#hearth-install").count() == 0
    page.close()
    page = context.new_page()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.evaluate(OFFER)
    page.wait_for_timeout(300)
    assert page.locator("#hearth-install").count() == 0
