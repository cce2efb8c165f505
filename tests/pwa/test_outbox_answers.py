"""What the offline outbox relies on from the server: an explicit "stored" answer for its requests (never a redirect
that looks like success), one copy per idempotency key for every form that works offline, and a session check."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from portal.claims.models import Claim, ClaimLine
from portal.core.clock import today
from portal.core.db import db
from portal.memories.models import MemoryItem
from portal.records.models import HouseholdDocument, LogEntry
from tests.claims.conftest import journey_form, world  # noqa: F401  (the claims world fixture)
from tests.factories import make_family
from tests.records.conftest import log_form, png_bytes

OUTBOX = {"X-Hearth-Outbox": "1"}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _form_fields(client, url: str) -> dict:
    """The page's own form as a browser would send it (hidden fields included), as the outbox stores it."""
    assert client.get(url).status_code == 200
    forms = [f for f in client.page.forms if f.method == "post" and f.action in (None, "", url)]
    return dict(forms[0].fields)


def _date(prefix: str) -> dict:
    d = today()
    return {f"{prefix}-day": str(d.day), f"{prefix}-month": str(d.month), f"{prefix}-year": str(d.year)}


def _note(child) -> dict:
    return {
        "title": "First swimming badge",
        "body": "Jordan swam a whole length today.",
        "checks": ["no_other_children", "no_school_or_street", "no_birth_family_address"],
        **_date("memory_date"),
    }


def test_the_outbox_gets_an_explicit_stored_answer_and_a_browser_a_redirect(client, app):
    family = make_family()
    client.sign_in(family.carer)
    fields = {**_form_fields(client, "/logs/new"), **log_form(family)}
    sent = client.post("/logs/new", data=fields, headers=OUTBOX)
    assert sent.status_code == 200 and sent.json["stored"].startswith("/logs/")
    assert sent.headers["X-Hearth-Stored"] == sent.json["stored"]
    assert sent.headers["Cache-Control"] == "no-store"
    # The same entry again (the first answer was lost on the way back): the same answer, nothing new stored.
    again = client.post("/logs/new", data=fields, headers=OUTBOX)
    assert again.json["stored"] == sent.json["stored"]
    assert _count(LogEntry) == 1
    # A browser without the outbox still gets its redirect; the outbox's sends left no banner for the next page.
    browser = client.post("/logs/new", data=fields)
    assert browser.status_code == 302 and browser.location.endswith(sent.json["stored"])
    assert "already sent" in client.get(browser.location).text


def test_a_signed_out_outbox_request_is_never_answered_as_stored(client, app):
    family = make_family()
    client.sign_in(family.carer)
    fields = {**_form_fields(client, "/logs/new"), **log_form(family)}
    client.post("/sign-out", data={"csrf_token": fields["csrf_token"]})
    answer = client.post("/logs/new", data=fields, headers=OUTBOX)
    assert answer.status_code != 200 and "X-Hearth-Stored" not in answer.headers
    assert _count(LogEntry) == 0


def test_a_memory_sent_twice_with_one_key_is_added_once(client, app):
    family = make_family(first_name="Jordan")
    client.sign_in(family.carer)
    url = f"/memory-box/{family.child.id}/add/note"
    fields = {**_form_fields(client, url), **_note(family.child)}
    assert re.fullmatch(r"[0-9a-f]{32}", fields["idempotency_key"])
    first = client.post(url, data=fields)
    second = client.post(url, data=fields)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert _count(MemoryItem) == 1
    assert "This memory was already added" in client.get(second.location).text
    stored = client.post(url, data=fields, headers=OUTBOX)
    assert stored.status_code == 200 and first.location.endswith(stored.json["stored"])
    # A new form has a new key: a second memory is a second memory.
    fresh = {**_form_fields(client, url), **_note(family.child)}
    assert fresh["idempotency_key"] != fields["idempotency_key"]
    client.post(url, data=fresh)
    assert _count(MemoryItem) == 2


def test_a_refused_memory_keeps_no_key_so_the_corrected_form_is_added(client, app):
    family = make_family(first_name="Jordan")
    client.sign_in(family.carer)
    url = f"/memory-box/{family.child.id}/add/note"
    fields = {**_form_fields(client, url), **_note(family.child)}
    refused = client.post(url, data={**fields, "body": ""})
    assert refused.status_code == 422
    assert f'value="{fields["idempotency_key"]}"' in refused.text  # the page keeps its key for the next attempt
    assert client.post(url, data=fields).status_code == 302
    assert _count(MemoryItem) == 1


def test_a_document_sent_twice_with_one_key_is_filed_once(client, app):
    family = make_family()
    client.sign_in(family.carer)
    url = f"/households/{family.household.id}/documents/new"
    fields = {**_form_fields(client, url), "folder": "fire_escape_plan", "title": "Fire plan", **_date("document_date")}
    answers = [
        client.post(
            url,
            data={**fields, "file": (io.BytesIO(png_bytes()), "plan.png")},
            content_type="multipart/form-data",
            headers=OUTBOX,
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a.json["stored"] for a in answers}) == 1
    assert _count(HouseholdDocument) == 1


def test_a_mileage_claim_and_its_lines_are_stored_once_per_key(client, world):  # noqa: F811
    client.sign_in(world.carer)
    fields = {**_form_fields(client, "/claims/new/mileage"), **journey_form(world)}
    first = client.post("/claims/new/mileage", data=fields, headers=OUTBOX)
    again = client.post("/claims/new/mileage", data=fields, headers=OUTBOX)
    assert first.status_code == again.status_code == 200
    assert first.json["stored"] == again.json["stored"]
    assert _count(Claim) == 1
    line_url = first.json["stored"] + "/lines/new"
    line = {**_form_fields(client, line_url), **journey_form(world, to_place="School")}
    line.pop("vehicle", None)
    for _ in range(2):
        assert client.post(line_url, data=line, headers=OUTBOX).json["stored"] == first.json["stored"]
    assert _count(ClaimLine) == 2


def test_the_outbox_asks_who_is_signed_in_before_sending(client, app):
    signed_out = client.get("/outbox/session")
    assert signed_out.json == {"signed_in": False}
    assert signed_out.headers["Cache-Control"] == "no-store"
    family = make_family()
    client.sign_in(family.carer)
    answer = client.get("/outbox/session").json
    assert answer["signed_in"] is True and answer["user"] == str(family.carer.id) and answer["csrf_token"]
    # The token it hands out is good for the forms the outbox sends.
    fields = {**_form_fields(client, "/logs/new"), **log_form(family), "csrf_token": answer["csrf_token"]}
    assert client.post("/logs/new", data=fields, headers=OUTBOX).status_code == 200


def test_the_manifest_offers_shortcuts_to_a_new_log_entry_and_a_new_claim(client):
    manifest = client.get("/manifest.webmanifest").json
    assert [s["name"] for s in manifest["shortcuts"]] == ["New log entry", "New claim"]
    assert manifest["shortcuts"][0]["url"].startswith("/logs/new")
    assert manifest["shortcuts"][1]["url"].startswith("/claims/new")
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])


def test_the_service_worker_carries_the_outbox_sender_for_background_sync(client):
    worker = client.get("/service-worker.js").get_data(as_text=True)
    assert worker.startswith("self.HEARTH_SHELL = ")
    assert "scope.HearthOutbox = " in worker and 'addEventListener("sync"' in worker
    assert 'redirect: "manual"' in worker  # a redirect to sign-in is never taken for success
