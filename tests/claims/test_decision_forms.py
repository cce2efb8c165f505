"""Business support must not pay what they meant to refuse: every choice and reason is kept after an error, each error
sits beside its own line or field, and the server refuses line choices and reasons that disagree."""

from __future__ import annotations

import uuid
from datetime import timedelta

from portal.claims import decisions
from portal.claims.rules import Settings
from portal.claims.services import LineInput, add_line, submit_claim
from portal.core.clock import today
from portal.core.db import db
from tests.claims.conftest import make_claim
from tests.pages import text_of

S = Settings()


def _two_journeys(world):
    claim = make_claim(world, kind="mileage", submit=False)
    line = LineInput(
        line_date=today() - timedelta(days=2),
        category="court",
        idempotency_key=uuid.uuid4().hex,
        miles_tenths=200,
        child_ids=(world.child.id,),
    )
    add_line(world.carer, claim, line, S)
    submit_claim(world.carer, claim, S)
    return claim, *claim.lines


def _decision_form(client, claim):
    client.get(f"/claims/{claim.id}")
    return next(f for f in client.page.forms if f.action == f"/claims/{claim.id}/decision")


def _kept(response, claim):
    return next(f for f in response.page.forms if f.action == f"/claims/{claim.id}/decision").fields


def test_do_not_approve_without_a_reason_stays_do_not_approve_with_the_error_beside_that_line(client, world):
    claim, first, second = _two_journeys(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    data = {**form.fields, "decision": "approve", f"line-{second.id}": "reject", f"reason-{second.id}": ""}
    response = client.post(form.action, data=data)
    assert response.status_code == 422
    kept = _kept(response, claim)
    assert kept[f"line-{second.id}"] == "reject"  # never switched back to Approve
    assert kept[f"line-{first.id}"] == "approve" and kept["decision"] == "approve"
    assert f'id="line-{second.id}-error"' in response.text
    assert f"#line-{second.id}" in response.page.error_summary_links
    assert "Give the reason journey 2 is not approved" in text_of(response)
    assert response.page.title.startswith("Error:")
    db.session.refresh(claim)
    assert claim.status == "submitted" and claim.approved_pence is None


def test_a_reason_beside_approve_is_refused_not_paid_in_full(client, world):
    claim, first, second = _two_journeys(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    data = {
        **form.fields,
        "decision": "approve",
        f"line-{second.id}": "approve",
        f"reason-{second.id}": "Court travel is paid by the court",
    }
    response = client.post(form.action, data=data)
    assert response.status_code == 422
    assert "You gave a reason for journey 2 but chose Approve" in text_of(response)
    assert _kept(response, claim)[f"reason-{second.id}"] == "Court travel is paid by the court"
    db.session.refresh(claim)
    assert claim.status == "submitted" and all(ln.decision is None for ln in claim.lines)
    response = client.post(form.action, data={**data, f"line-{second.id}": "reject"})
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "approved" and claim.approved_pence == first.amount_pence
    assert second.decision == "rejected" and second.decision_reason == "Court travel is paid by the court"


def test_line_choices_and_reasons_are_kept_when_the_decision_itself_is_missing(client, world):
    claim, first, second = _two_journeys(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    data = {**form.fields, f"line-{second.id}": "reject", f"reason-{second.id}": "Already paid", "decision": None}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(form.action, data=data)
    assert response.status_code == 422 and "Choose approve, reject or ask a question" in text_of(response)
    kept = _kept(response, claim)
    assert kept[f"line-{second.id}"] == "reject" and kept[f"reason-{second.id}"] == "Already paid"


def test_reject_without_a_reason_keeps_the_question_typed_and_puts_the_error_beside_the_reason(client, world):
    claim = make_claim(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    response = client.post(
        form.action, data={**form.fields, "decision": "reject", "reason": "", "question": "Which shop was it?"}
    )
    assert response.status_code == 422
    kept = _kept(response, claim)
    assert kept["decision"] == "reject" and kept["question"] == "Which shop was it?"
    assert 'id="reason-error"' in response.text and "#reason" in response.page.error_summary_links


def test_the_server_refuses_choices_that_disagree_whatever_the_page_sent(app, world):
    claim, first, second = _two_journeys(world)
    posted = {
        f"line-{first.id}": "maybe",
        f"line-{second.id}": "reject",
        f"reason-{second.id}": "  ",
    }
    rejected, errors = decisions.read_line_choices(claim, posted)
    assert errors[first.id] == "Choose Approve or Do not approve for journey 1"
    assert errors[second.id].startswith("Give the reason journey 2 is not approved")
    rejected, errors = decisions.read_line_choices(claim, {f"line-{second.id}": "reject", f"reason-{second.id}": "No"})
    assert rejected == {second.id: "No"} and errors == {}
