"""A log entry's "Save as draft" while offline: the draft stays on the phone (never the browser's offline page) and
is saved to Hearth once the signal is back. Offline as in test_outbox: through a relay that can be unplugged."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from portal.core.db import db
from portal.records.models import LogDraft
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.test_outbox import _fill_log, _go_offline, _go_online

pytestmark = pytest.mark.browser


def test_a_draft_saved_offline_is_kept_on_the_phone_and_saved_when_back_online(phone, relay):  # noqa: F811
    context = phone(bypass_csp=True)
    page = context.new_page()
    sign_in(page, "carer@example.org")
    page.goto("/logs/new")
    _go_offline(context, relay)
    _fill_log(page, "Offline draft: Millie planted sunflowers.")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_function(
        "() => /draft is saved on this phone/.test(document.querySelector('.hearth-progress').textContent)"
    )
    assert page.url.endswith("/logs/new") and page.locator("h1").inner_text() == "Write a log entry"
    assert page.input_value("textarea[name=body]") == "Offline draft: Millie planted sunflowers."
    assert not serious_violations(page)
    _go_online(context, relay)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        db.session.rollback()
        drafts = [d.fields.get("body") for d in db.session.scalars(select(LogDraft))]
        if "Offline draft: Millie planted sunflowers." in drafts:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the draft kept offline was not saved once back online")
    page.goto("/logs/new")
    assert page.input_value("textarea[name=body]") == "Offline draft: Millie planted sunflowers."
