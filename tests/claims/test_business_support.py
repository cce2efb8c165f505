"""Business support: the queue, decisions with segregation of duties, second approval, batches, CSV and payment."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.claims import batches, decisions
from portal.claims.models import Claim
from portal.claims.rules import Settings
from portal.claims.services import ClaimRefused
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.notify import Notification
from portal.people.models import HouseholdMember
from tests.claims.conftest import make_claim
from tests.factories import make_carer_household
from tests.pages import text_of

S = Settings()


def _decision_form(client, claim):
    client.get(f"/claims/{claim.id}")
    return next(f for f in client.page.forms if f.action == f"/claims/{claim.id}/decision")


def _post_form(client, url: str, action_end: str, data: dict):
    """Post the form on `url` whose action ends with `action_end`, as a browser would."""
    client.get(url)
    form = next(f for f in client.page.forms if f.method == "post" and (f.action or "").endswith(action_end))
    return client.post(form.action, data={**form.fields, **data})


def _download_csv(client, batch_url: str):
    """Press "Download CSV for finance" on the batch page (a POST: it records the export)."""
    client.get(batch_url)
    form = next(f for f in client.page.forms if f.action == batch_url + "/export.csv")
    return client.post(form.action, data=form.fields)


def test_the_queue_shows_submitted_claims_oldest_first_with_their_age(client, world):
    newer, older = make_claim(world), make_claim(world)
    older.submitted_at = utcnow() - timedelta(days=30)
    make_claim(world, submit=False)  # drafts are the carer's own business
    db.session.commit()
    client.sign_in(world.support)
    page = client.get("/claims/queue")
    text = text_of(page)
    assert text.index(older.number) < text.index(newer.number)
    assert "over target" in text and "Draft" not in text


def test_the_queue_filters_and_searches(client, world):
    mileage = make_claim(world, kind="mileage")
    allowance = make_claim(world)
    client.sign_in(world.support)
    text = text_of(client.get("/claims/queue?kind=mileage"))
    assert mileage.number in text and allowance.number not in text
    text = text_of(client.get(f"/claims/queue?q={allowance.number}"))
    assert allowance.number in text and mileage.number not in text
    assert mileage.number in text_of(client.get("/claims/queue?q=okafor"))
    assert "No claims match" in text_of(client.get("/claims/queue?household=nobody-at-all"))
    assert "No claims match" in text_of(client.get("/claims/queue?age=over_target"))


def test_business_support_approves_a_claim_and_the_carer_is_told(client, world):
    claim = make_claim(world, amount=4200)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    response = client.post(form.action, data={**form.fields, "decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "approved" and claim.approved_pence == 4200 and claim.decided_by_id == world.support.id
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.carer.id))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claim_approved"))


def test_partial_approval_line_by_line_needs_a_reason(client, world):
    claim = make_claim(world, kind="mileage", submit=False)
    import uuid

    from portal.claims.services import LineInput, add_line, submit_claim

    add_line(
        world.carer,
        claim,
        LineInput(
            line_date=today() - timedelta(days=2),
            category="court",
            idempotency_key=uuid.uuid4().hex,
            miles_tenths=200,
            child_ids=(world.child.id,),
        ),
        S,
    )
    submit_claim(world.carer, claim, S)
    first, second = claim.lines
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    data = {**form.fields, "decision": "approve", f"line-{second.id}": "reject", f"reason-{second.id}": ""}
    response = client.post(form.action, data=data)
    assert response.status_code == 422 and "Give the reason journey 2 is not approved" in response.text
    response = client.post(form.action, data={**data, f"reason-{second.id}": "Court travel is paid by the court"})
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "approved" and claim.approved_pence == first.amount_pence
    assert second.decision == "rejected"
    assert "Court travel is paid by the court" in text_of(client.get(f"/claims/{claim.id}"))


def test_reject_and_query_need_words_for_the_carer(client, world):
    claim = make_claim(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)
    response = client.post(form.action, data={**form.fields, "decision": "reject", "reason": ""})
    assert response.status_code == 422 and "Give the reason" in response.text and 'href="#reason"' in response.text
    response = client.post(form.action, data={**form.fields, "decision": "query", "question": ""})
    assert response.status_code == 422 and "Write your question" in response.text
    response = client.post(form.action, data={**form.fields, "decision": "reject", "reason": "Paid last month"})
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "rejected" and claim.rejection_reason == "Paid last month"


def test_no_one_decides_a_claim_they_made_or_that_pays_their_own_household(client, world):
    # A member of business support who is also a foster carer in the claimant's household.
    db.session.add(HouseholdMember(household_id=world.household.id, user_id=world.support.id))
    db.session.commit()
    claim = make_claim(world)
    with pytest.raises(ClaimRefused, match="your own household"):
        decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
    client.sign_in(world.support)
    page = client.get(f"/claims/{claim.id}")
    assert "Ask a colleague" in page.text
    assert not any(f.action == f"/claims/{claim.id}/decision" for f in client.page.forms)
    db.session.refresh(claim)
    assert claim.status == "submitted"


def test_above_the_limit_a_second_person_must_approve(world):
    s = Settings(second_approval_pence=10_000)
    claim = make_claim(world, amount=25_000)
    assert (
        decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=s)
        == "second_approval"
    )
    with pytest.raises(ClaimRefused, match="a colleague must give the second"):
        decisions.confirm_approval(world.support, claim, version=claim.version)
    decisions.confirm_approval(world.support2, claim, version=claim.version)
    assert claim.status == "approved" and claim.decided_by_id == world.support2.id


def test_a_decision_on_a_stale_page_is_refused_and_says_what_happened(client, world):
    claim = make_claim(world)
    client.sign_in(world.support)
    form = _decision_form(client, claim)  # page open...
    decisions.reject_claim(world.support2, claim, version=claim.version, reason="Duplicate")  # ...a colleague acts
    response = client.post(form.action, data={**form.fields, "decision": "approve"})
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "Ola Adeyemi changed this claim while you were looking at it" in page
    db.session.refresh(claim)
    assert claim.status == "rejected"


def test_warnings_point_out_duplicates_and_reused_receipts(client, world):
    from tests.claims.conftest import png_bytes

    receipt = png_bytes("blue")
    first = make_claim(world, kind="expense", amount=1999, receipt=receipt)
    second = make_claim(world, kind="expense", amount=1999, receipt=receipt)
    long = make_claim(world, kind="mileage", miles_tenths=2000)
    client.sign_in(world.support)
    text = text_of(client.get(f"/claims/{second.id}"))
    assert "looks like a duplicate" in text and "receipt has already been used" in text
    assert "more than 150 miles" in text_of(client.get(f"/claims/{long.id}"))
    assert "duplicate" in text_of(client.get(f"/claims/{first.id}"))  # each of the pair points at the other


def _approved(world, n=1, **kwargs) -> list[Claim]:
    out = []
    for _ in range(n):
        claim = make_claim(world, **kwargs)
        decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
        out.append(claim)
    return out


def test_a_batch_is_made_exported_and_paid_and_the_carers_are_told(client, world):
    claims = _approved(world, 2, amount=1234)
    other_carer, other_household = make_carer_household()
    (theirs,) = _approved(world, 1, carer=other_carer, household=other_household, amount=500)
    client.sign_in(world.support)
    response = client.submit("/payment-batches/new", {"scope": "all"})
    assert response.status_code == 302
    batch_page = client.get(response.location)
    assert "3" in text_of(batch_page) and "£29.68" in text_of(batch_page)
    export = _download_csv(client, response.location)
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    assert export.data.startswith(codecs.BOM_UTF8)  # Excel then reads the names as UTF-8
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
    payees = [r for r in rows if r["record_type"] == "PAYEE"]
    lines = [r for r in rows if r["record_type"] == "CLAIM"]
    assert {(p["payee_name"], p["claims"], p["amount"]) for p in payees} == {
        ("Sarah Okafor", "2", "24.68"),
        (other_carer.full_name, "1", "5.00"),
    }
    assert sorted(r["claim_number"] for r in lines) == sorted(c.number for c in [*claims, theirs])
    assert all(r["amount"] == "12.34" for r in lines if r["payee_name"] == "Sarah Okafor")
    response = _post_form(
        client,
        response.location,
        "/paid",
        {
            **{"paid_on-day": str(today().day), "paid_on-month": str(today().month), "paid_on-year": str(today().year)},
            "reference": "BACS-77",
        },
    )
    assert response.status_code == 302
    for claim in [*claims, theirs]:
        db.session.refresh(claim)
        assert claim.status == "paid" and claim.payment_reference == "BACS-77" and claim.paid_on == today()
    notes = db.session.scalars(select(Notification.text).where(Notification.user_id == world.carer.id)).all()
    assert any("2 claims paid: £24.68, reference BACS-77" in n for n in notes)
    paid_rows = list(
        csv.DictReader(
            io.StringIO(_download_csv(client, f"/payment-batches/{claims[0].batch_id}").data.decode("utf-8-sig"))
        )
    )
    assert {r["payment_reference"] for r in paid_rows} == {"BACS-77"}


def test_a_claim_is_in_one_batch_ever_and_a_paid_batch_cannot_change(world):
    (claim,) = _approved(world)
    batch = batches.create_batch(world.support, claim_ids=[claim.id])
    with pytest.raises(batches.BatchRefused, match="no approved claims"):
        batches.create_batch(world.support2, claim_ids=[claim.id])
    batches.mark_batch_paid(world.support, batch, paid_on=today(), reference="R1")
    with pytest.raises(batches.BatchRefused, match="cannot change"):
        batches.mark_batch_paid(world.support2, batch, paid_on=today(), reference="R2")
    db.session.refresh(batch)
    assert batch.payment_reference == "R1" and batch.claim_count == 1


def test_bad_batch_input_gets_clear_messages(client, world):
    _approved(world)
    client.sign_in(world.support)
    response = client.submit("/payment-batches/new", {"scope": "selected"})
    assert response.status_code == 422 and "Select at least one claim" in response.text
    batch = batches.create_batch(world.support, up_to=today())
    future = today() + timedelta(days=3)
    response = _post_form(
        client,
        f"/payment-batches/{batch.id}",
        "/paid",
        {
            "paid_on-day": str(future.day),
            "paid_on-month": str(future.month),
            "paid_on-year": str(future.year),
            "reference": "",
        },
    )
    assert response.status_code == 422 and "today or in the past" in response.text
    assert "Enter the payment reference" in response.text


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', ' =HYPERLINK("http://x")', "\t@SUM(A1)", "-1+2"])
def test_csv_cells_that_look_like_formulas_are_made_harmless(world, name):
    world.carer.full_name = name
    db.session.commit()
    (claim,) = _approved(world)
    batch = batches.create_batch(world.support, claim_ids=[claim.id])
    rows = list(csv.DictReader(io.StringIO(batches.batch_csv(batch).lstrip("\ufeff"))))
    assert {r["payee_name"] for r in rows} == {"'" + name}


def test_every_decision_is_an_audit_event(world):
    claim = make_claim(world)
    decisions.query_claim(world.support, claim, version=claim.version, question="Why?")
    from portal.claims.services import submit_claim

    submit_claim(world.carer, claim, S, answer="Because")
    decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
    batch = batches.create_batch(world.support, claim_ids=[claim.id])
    batches.mark_batch_paid(world.support, batch, paid_on=today(), reference="X")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    for action in (
        "claim_started",
        "claim_submitted",
        "claim_queried",
        "claim_approved",
        "payment_batch_created",
        "payment_batch_paid",
    ):
        assert action in actions


def test_an_admin_edits_the_rate_table_and_new_journeys_use_it(client, world):
    client.sign_in(world.admin)
    assert "test" in text_of(client.get("/claims/mileage-rates"))  # the source column of the seeded rows
    response = client.submit(
        "/claims/mileage-rates/new",
        {
            "vehicle": "car",
            "effective_from-day": str(today().day),
            "effective_from-month": str(today().month),
            "effective_from-year": str(today().year),
            "pence_per_mile": "50",
            "threshold_miles": "10000",
            "pence_after_threshold": "",
            "source": "Council policy 2026",
        },
    )
    assert response.status_code == 422 and "Enter both the miles threshold" in response.text
    response = client.submit(
        "/claims/mileage-rates/new",
        {
            "vehicle": "car",
            "effective_from-day": str(today().day),
            "effective_from-month": str(today().month),
            "effective_from-year": str(today().year),
            "pence_per_mile": "50",
            "threshold_miles": "10000",
            "pence_after_threshold": "30",
            "source": "Council policy 2026",
        },
    )
    assert response.status_code == 302
    claim = make_claim(world, kind="mileage", line_date=today(), miles_tenths=100)
    assert claim.total_pence == 500
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mileage_rate_saved"))
