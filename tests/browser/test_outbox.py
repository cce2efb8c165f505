"""The offline outbox in real Chromium: entries written offline survive an expired session and are stored exactly
once after signing in again; a retry storm stores one; signing out with unsent entries asks first (Background Sync:
test_outbox_background_sync.py).

Playwright's offline switch does not reach the service worker's own requests, so the server is made unreachable
instead: the browser talks to it through a relay that can be unplugged (every connection cut, new ones refused).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.auth.models import User, UserSession
from portal.claims.models import Claim, ClaimLine
from portal.core.db import db, utcnow
from portal.memories.models import MemoryItem
from portal.people.models import Child
from portal.records.models import LogEntry
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.test_offline import CACHED_URLS, _wait_for_worker

pytestmark = pytest.mark.browser


def _go_offline(context, relay) -> None:
    for page in context.pages:
        if page.url.startswith("http"):
            # The form's scripts (and the outbox they import) must be in before the signal goes.
            page.wait_for_function("() => !!window.HearthOutbox || !document.querySelector('form[data-hearth-outbox]')")
    context.set_offline(True)  # the page's own view (navigator.onLine, its requests)
    relay.unplug()  # and everything else, the service worker included


def _go_online(context, relay) -> None:
    relay.plug()
    context.set_offline(False)


def _count(model, *where) -> int:
    db.session.rollback()  # a fresh snapshot: the live server's threads wrote these
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _expire_sessions_since(email: str, since) -> None:
    """The session of this phone runs out (revoked, as an idle or maximum lifetime would)."""
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.created_at >= since, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="idle")
    )
    db.session.commit()


def _millie_id() -> int:
    db.session.rollback()
    return db.session.scalar(select(Child.id).where(Child.preferred_name == "Millie", Child.last_name == "Stone"))


def _fill_log(page, body: str) -> None:
    page.select_option("select[name=child_id]", label="Millie Stone")
    page.get_by_label("Daily life").check()
    page.fill("textarea[name=body]", body)


def _fill_journey(page, to_place: str) -> None:
    page.check("input[name=vehicle][value=car]")
    page.fill("input[name=from_place]", "Home")
    page.fill("input[name=to_place]", to_place)
    page.check("input[name=category][value=family_time]")
    page.fill("input[name=miles]", "12")
    page.get_by_label("Millie Stone").check()


def _fill_note(page, title: str) -> None:
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", "Millie swam a whole length without stopping.")
    on = (utcnow() - timedelta(days=1)).date()
    page.fill("input[name=memory_date-day]", str(on.day))
    page.fill("input[name=memory_date-month]", str(on.month))
    page.fill("input[name=memory_date-year]", str(on.year))
    for box in page.locator("input[name=checks]").all():
        box.check()


def _progress(page) -> str:
    return page.locator(".hearth-progress [aria-live]").inner_text()


def test_entries_written_offline_survive_an_expired_session_and_are_stored_once(phone, relay):
    context = phone(bypass_csp=True)
    started = utcnow() - timedelta(seconds=1)
    log_page = context.new_page()
    sign_in(log_page, "carer@example.org")
    _wait_for_worker(log_page)
    # Three forms opened while the signal is good, as a carer would before a long drive.
    log_page.goto("/logs/new")
    claim_page = context.new_page()
    claim_page.goto("/claims/new/mileage")
    memory_page = context.new_page()
    memory_page.goto(f"/memory-box/{_millie_id()}/add/note")

    _go_offline(context, relay)
    _fill_log(log_page, "Outbox journey: Millie baked bread with her grandmother.")
    log_page.get_by_role("button", name="Send log entry").click()
    log_page.wait_for_function(
        "() => /offline/.test(document.querySelector('.hearth-progress [aria-live]').textContent)"
    )
    _fill_journey(claim_page, "Outbox journey centre")
    claim_page.get_by_role("button", name="Save journey").click()
    claim_page.wait_for_selector("#hearth-outbox")
    _fill_note(memory_page, "Outbox journey swimming")
    memory_page.get_by_role("button", name="Add the note").click()
    memory_page.wait_for_selector("#hearth-outbox")
    memory_page.wait_for_function(
        "() => /3 waiting to send/.test(document.querySelector('#hearth-outbox').textContent)"
    )
    outbox = memory_page.locator("#hearth-outbox")
    assert "You are offline" in outbox.inner_text()
    titles = outbox.locator(".hearth-outbox__title").all_inner_texts()
    assert titles == [
        "Log entry: Outbox journey: Millie baked bread with…",
        "Mileage claim: Outbox journey centre",
        "Memory for Millie: Outbox journey swimming",
    ]
    assert not serious_violations(memory_page), "the outbox panel has accessibility problems"

    # Hours later the session has run out; the phone finds its signal again.
    _expire_sessions_since("carer@example.org", started)
    _go_online(context, relay)
    log_page.wait_for_function(
        "() => /Sign in again to send 3 waiting entries/.test(document.querySelector('#hearth-outbox').textContent)"
    )
    assert not serious_violations(log_page), "the outbox panel (signed out) has accessibility problems"
    assert _count(LogEntry, LogEntry.body.contains("Outbox journey")) == 0
    assert _count(MemoryItem, MemoryItem.title == "Outbox journey swimming") == 0

    # Signing in again sends them.
    for other in (claim_page, memory_page):
        other.close()
    log_page.get_by_role("link", name="Sign in again to send 3 waiting entries").click()
    log_page.wait_for_url(re.compile(r"/sign-in"))
    assert "Sign in again to send 3 waiting entries" in log_page.locator("main").inner_text()
    log_page.fill("input[name=email]", "carer@example.org")
    log_page.fill("input[name=password]", "hearth-demo-2026")
    log_page.get_by_role("button", name="Sign in", exact=True).click()
    log_page.wait_for_url(re.compile(r"/logs/new"))
    log_page.wait_for_function("() => /Everything waiting on this phone has been sent/.test(document.body.textContent)")
    assert "You are offline" not in log_page.locator("main").inner_text()
    links = log_page.locator("#hearth-outbox a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) == 3 and re.fullmatch(r"/logs/\d+", links[0]) and re.fullmatch(r"/claims/\d+", links[1])

    assert _count(LogEntry, LogEntry.body.contains("Outbox journey")) == 1
    assert _count(ClaimLine, ClaimLine.to_place == "Outbox journey centre") == 1
    assert _count(MemoryItem, MemoryItem.title == "Outbox journey swimming") == 1
    assert log_page.evaluate("async () => (await HearthOutbox.list(document.body.dataset.user)).length") == 0

    # Nothing personal was kept by the service worker along the way.
    for name, paths in log_page.evaluate(CACHED_URLS).items():
        assert name.startswith("hearth-shell-")
        for path in paths:
            assert path.startswith("/static/") or path == "/offline", f"{path} was kept in {name}"


STORM = """async ({action, fields}) => {
  const token = (await (await fetch('/outbox/session')).json()).csrf_token;
  const send = () => {
    const data = new FormData();
    for (const [k, v] of fields) data.append(k, v);
    data.set('csrf_token', token);
    return fetch(action, {method: 'POST', body: data, redirect: 'manual', headers: {'X-Hearth-Outbox': '1'}})
      .then(r => ({status: r.status, stored: r.headers.get('X-Hearth-Stored')}));
  };
  const together = await Promise.all([send(), send(), send()]);
  const after = [await send(), await send()];
  return together.concat(after);
}"""


def _form_fields(page) -> list:
    return page.evaluate(
        """() => [...new FormData(document.querySelector('form[data-hearth-outbox]')).entries()]
              .filter(([, v]) => typeof v === 'string')"""
    )


@pytest.mark.parametrize("form", ["log entry", "memory", "mileage claim"])
def test_a_retry_storm_stores_one(phone, form):
    context = phone()
    page = context.new_page()
    sign_in(page, "carer@example.org")
    marker = f"Storm {form}"
    if form == "log entry":
        page.goto("/logs/new")
        _fill_log(page, marker)
        where, model = "/logs/new", (LogEntry, LogEntry.body == marker)
    elif form == "memory":
        where = f"/memory-box/{_millie_id()}/add/note"
        page.goto(where)
        _fill_note(page, marker)
        model = (MemoryItem, MemoryItem.title == marker)
    else:
        page.goto("/claims/new/mileage")
        _fill_journey(page, marker)
        where, model = "/claims/new/mileage", (ClaimLine, ClaimLine.to_place == marker)
    answers = page.evaluate(STORM, {"action": where, "fields": _form_fields(page)})
    assert [a["status"] for a in answers] == [200] * 5, json.dumps(answers)
    assert len({a["stored"] for a in answers}) == 1
    assert _count(*model) == 1
    if form == "mileage claim":
        assert _count(Claim, Claim.id == int(answers[0]["stored"].rsplit("/", 1)[1])) == 1


def test_signing_out_with_unsent_entries_asks_first(phone, relay):
    context = phone(bypass_csp=True)
    page = context.new_page()
    sign_in(page, "carer@example.org")
    page.goto("/logs/new")
    _go_offline(context, relay)
    # Sent with nothing written: the server will refuse it, so it stays waiting once back online.
    page.select_option("select[name=child_id]", label="Millie Stone")
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_selector("#hearth-outbox")
    _go_online(context, relay)
    page.wait_for_function(
        "() => /Hearth could not accept this/.test(document.querySelector('#hearth-outbox').textContent)"
    )
    assert "1 waiting to send" in page.locator("#hearth-outbox").inner_text()

    page.get_by_role("button", name="Sign out").click()
    check = page.locator("#hearth-sign-out-check")
    assert "1 entry has not been sent yet" in check.inner_text()
    assert not serious_violations(page)
    page.get_by_role("button", name="Stay signed in to send them").click()
    assert check.count() == 0
    assert page.locator("body").get_attribute("data-signed-in") == "true"

    # Open it, as the panel offers: the form comes back as it was sent, with the same key.
    key = page.evaluate(
        "async () => (await HearthOutbox.list(document.body.dataset.user))[0].entries"
        ".find(([n]) => n === 'idempotency_key')[1]"
    )
    page.locator("#hearth-outbox").get_by_role("button", name=re.compile("^Open")).click()
    page.wait_for_function(f"() => document.querySelector('input[name=idempotency_key]').value === '{key}'")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Discard them and sign out").click()
    page.wait_for_function("() => document.body.dataset.signedIn === 'false'")
    assert (
        page.evaluate("async () => (await indexedDB.databases()).filter(d => d.name.startsWith('hearth-drafts-'))")
        == []
    )


def test_a_waiting_entry_can_be_discarded(phone, relay):
    context = phone()
    page = context.new_page()
    sign_in(page, "carer@example.org")
    page.goto("/logs/new")
    _go_offline(context, relay)
    _fill_log(page, "Discard me")
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_selector("#hearth-outbox")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#hearth-outbox").get_by_role("button", name=re.compile("^Discard")).click()
    page.wait_for_selector("#hearth-outbox", state="detached")
    _go_online(context, relay)
    page.reload()
    assert page.locator("#hearth-outbox").count() == 0
    assert _count(LogEntry, LogEntry.body == "Discard me") == 0


def test_a_form_sent_after_the_session_ran_out_waits_for_sign_in(phone):
    """Online, but the session ended while the form was open: the redirect to sign in is not taken for success."""
    context = phone(bypass_csp=True)
    page = context.new_page()
    started = utcnow() - timedelta(seconds=1)
    sign_in(page, "carer@example.org")
    page.goto("/logs/new")
    _fill_log(page, "Written while the session ran out")
    _expire_sessions_since("carer@example.org", started)
    page.get_by_role("button", name="Send log entry").click()
    page.wait_for_function(
        "() => /session had ended/.test(document.querySelector('.hearth-progress [aria-live]').textContent)"
    )
    page.wait_for_function(
        "() => /Sign in again to send 1 waiting entry/.test(document.querySelector('#hearth-outbox')?.textContent)"
    )
    assert _count(LogEntry, LogEntry.body == "Written while the session ran out") == 0
    page.get_by_role("link", name="Sign in again to send 1 waiting entry").click()
    page.fill("input[name=email]", "carer@example.org")
    page.fill("input[name=password]", "hearth-demo-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_function("() => /Everything waiting on this phone has been sent/.test(document.body.textContent)")
    assert _count(LogEntry, LogEntry.body == "Written while the session ran out") == 1


def test_staff_file_a_document_offline_and_it_is_filed_once_with_its_file(phone, relay, signed_in_state, tmp_path):
    """A supervising social worker's supervision record, written in a car park: the file waits on the phone too."""
    from PIL import Image

    from portal.people.models import Household
    from portal.records.models import DocumentVersion, HouseholdDocument

    db.session.rollback()
    household_id = db.session.scalar(select(Household.id).where(Household.name.contains("Okafor")))
    scan = tmp_path / "supervision.png"
    Image.new("RGB", (60, 40), "navy").save(scan)
    context = phone(storage_state=signed_in_state("ssw@example.org"))
    page = context.new_page()
    page.goto(f"/households/{household_id}/documents/new")
    _go_offline(context, relay)
    page.select_option("select[name=folder]", value="supervision_records")
    page.fill("input[name=title]", "Supervision visit (outbox)")
    page.set_input_files("input[name=file]", str(scan))
    page.locator("form[data-hearth-outbox] button[type=submit]").click()
    page.wait_for_function("() => /1 waiting to send/.test(document.querySelector('#hearth-outbox')?.textContent)")
    assert "Document: Supervision visit (outbox)" in page.locator("#hearth-outbox").inner_text()
    _go_online(context, relay)
    page.wait_for_function("() => /Everything waiting on this phone has been sent/.test(document.body.textContent)")
    assert "Sent. Hearth has stored it." in _progress(page)
    assert _count(HouseholdDocument, HouseholdDocument.title == "Supervision visit (outbox)") == 1
    version = db.session.scalar(
        select(DocumentVersion).join(HouseholdDocument).where(HouseholdDocument.title == "Supervision visit (outbox)")
    )
    assert version.file.original_name == "supervision.png"
