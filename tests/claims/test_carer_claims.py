"""Carers claim mileage, expenses and allowances from a phone: drafts, submission, bad input, queries, history."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.claims.models import Claim, ClaimLine
from portal.core.clock import today
from portal.core.db import db
from portal.core.uploads import StoredFile
from tests.claims.conftest import date_fields, expense_form, journey_form, make_claim, png_bytes
from tests.factories import make_carer_household
from tests.pages import text_of


def _claims() -> list[Claim]:
    return db.session.scalars(select(Claim).order_by(Claim.id)).all()


def _send(client, claim, **data):
    return client.submit(f"/claims/{claim.id}", data, form_index=_form_index(client, claim, "submit"))


def _form_index(client, claim, action: str) -> int:
    client.get(f"/claims/{claim.id}")
    forms = [f for f in client.page.forms if f.method == "post"]
    own = [f for f in forms if f.action in (None, "", f"/claims/{claim.id}")]
    ordered = own + [f for f in forms if f not in own]
    return next(i for i, f in enumerate(ordered) if f.action == f"/claims/{claim.id}/{action}")


def test_carer_claims_mileage_and_the_server_works_out_the_amount(client, world):
    client.sign_in(world.carer)
    response = client.submit(
        "/claims/new/mileage",
        journey_form(world, miles="12.5", is_return="y", children=[str(world.child.id), str(world.child2.id)]),
    )
    assert response.status_code == 302
    (claim,) = _claims()
    (line,) = claim.lines
    assert claim.status == "draft" and claim.vehicle == "car"
    assert line.amount_pence == 1375 and claim.total_pence == 1375  # 25 miles at 55p (2026-27)
    assert sorted(c.share_pence for c in line.children) == [687, 688]
    page = client.get(response.location)
    assert "£13.75" in page.text and "25.0 mi at 55p" in page.text
    response = _send(client, claim)
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "submitted" and claim.submitted_at is not None
    assert "Expected to be paid by" in text_of(client.get(f"/claims/{claim.id}"))


def test_a_second_journey_is_added_to_the_draft_and_the_total_follows(client, world):
    client.sign_in(world.carer)
    client.submit("/claims/new/mileage", journey_form(world))
    (claim,) = _claims()
    response = client.submit(f"/claims/{claim.id}/lines/new", journey_form(world, miles="4", vehicle=None))
    assert response.status_code == 302
    db.session.refresh(claim)
    assert [ln.amount_pence for ln in claim.lines] == [550, 220] and claim.total_pence == 770


def test_the_estimate_endpoint_prices_a_journey_as_the_carer_types(client, world):
    client.sign_in(world.carer)
    d = (today() - timedelta(days=1)).isoformat()
    body = client.get(f"/claims/mileage-estimate?date={d}&miles=10&return=y&vehicle=car").get_json()
    assert body == {"ok": True, "pence": 1100, "text": "£11.00", "note": "20.0 mi at 55p"}
    assert client.get("/claims/mileage-estimate?date=nonsense&miles=x").get_json() == {"ok": False}


def test_carer_claims_an_expense_with_a_receipt_photo(client, world):
    client.sign_in(world.carer)
    response = client.submit(
        "/claims/new/expense", {**expense_form(world), "receipt": (io.BytesIO(png_bytes()), "receipt.png")}
    )
    assert response.status_code == 302
    (claim,) = _claims()
    (line,) = claim.lines
    assert line.amount_pence == 1250 and line.receipt.status == "ready" and line.receipt.purpose == "claim_receipt"
    page = client.get(response.location)
    assert "Receipt for expense 1" in page.text
    thumb = client.get(f"/claims/{claim.id}/lines/{line.id}/receipt/thumb")
    assert thumb.status_code == 200 and thumb.mimetype.startswith("image/")


def test_the_receipt_field_accepts_a_camera_photo_or_a_pdf(client, world):
    client.sign_in(world.carer)
    page = client.get("/claims/new/expense")
    assert 'accept="image/*,application/pdf"' in page.text


@pytest.mark.parametrize("typed, pence", [("£12.50", 1250), ("12.5", 1250), ("12", 1200), ("1,200", 120000)])
def test_amounts_are_read_the_way_people_type_them(client, world, typed, pence):
    client.sign_in(world.carer)
    assert (
        client.submit("/claims/new/allowance", {**expense_form(world, category="holiday"), "amount": typed}).status_code
        == 302
    )
    assert _claims()[0].total_pence == pence


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", "Enter an amount of more than £0"),
        ("0", "Enter an amount of more than £0"),
        ("5000.01", "The amount must be £5,000.00 or less"),
        ("twelve", "Enter an amount in pounds and pence, like 12.50"),
        ("", "Enter the amount"),
    ],
)
def test_bad_amounts_get_a_clear_message_on_the_field_and_keep_what_was_typed(client, world, typed, message):
    client.sign_in(world.carer)
    response = client.submit(
        "/claims/new/allowance", {**expense_form(world, category="holiday", note="Trip"), "amount": typed}
    )
    assert response.status_code == 422
    assert message in response.text and 'href="#amount"' in response.text
    assert "Trip" in response.text and _claims() == []


def test_a_future_date_is_refused_on_the_field(client, world):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", journey_form(world, **date_fields(today() + timedelta(days=1))))
    assert response.status_code == 422 and "must be today or in the past" in response.text
    assert 'href="#line_date"' in response.text


@pytest.mark.parametrize(
    "miles, message",
    [
        ("", "Enter the miles"),
        ("abc", "Enter the miles as a number"),
        ("0", "more than 0"),
        ("5000", "1,000 miles or fewer"),
    ],
)
def test_bad_miles_are_refused_on_the_field(client, world, miles, message):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", journey_form(world, miles=miles))
    assert response.status_code == 422 and message in response.text


def test_an_expense_without_a_receipt_is_refused_with_a_clear_message(client, world):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/expense", expense_form(world))
    assert response.status_code == 422
    assert "Choose a photo or PDF of the receipt" in response.text and 'href="#receipt"' in response.text


def test_a_refused_receipt_keeps_everything_else_typed_and_says_to_choose_it_again(client, world):
    client.sign_in(world.carer)
    response = client.submit(
        "/claims/new/expense",
        {**expense_form(world, note="Winter coat"), "receipt": (io.BytesIO(b"MZ\x90\x00 not a picture"), "coat.exe")},
    )
    assert response.status_code == 422
    assert "choose the receipt again" in response.text and "Winter coat" in response.text
    assert 'value="£12.50"' in response.text
    assert _claims() == [] and db.session.scalar(select(func.count(StoredFile.id))) == 0


@pytest.mark.parametrize("times", [1, 2, 5])
def test_the_same_submission_sent_again_creates_one_claim(client, world, times):
    client.sign_in(world.carer)
    client.get("/claims/new/allowance")
    form = next(f for f in client.page.forms if f.method == "post" and f.action in (None, ""))
    data = {**form.fields, **expense_form(world, category="holiday")}
    for _ in range(times):
        response = client.post("/claims/new/allowance", data=data)
        assert response.status_code == 302
        client.get(response.location)  # the browser follows, showing the message once
    assert len(_claims()) == 1 and db.session.scalar(select(func.count(ClaimLine.id))) == 1
    claim = _claims()[0]
    client.get(f"/claims/{claim.id}")
    send = next(f for f in client.page.forms if f.action == f"/claims/{claim.id}/submit")
    for _ in range(times):  # a double tap, or the browser retrying: the same form sent again
        response = client.post(send.action, data=send.fields)
        assert response.status_code == 302
        client.get(response.location)
    db.session.refresh(claim)
    assert claim.status == "submitted" and [e.action for e in claim.events].count("submitted") == 1


def test_a_claim_older_than_the_limit_is_refused_until_an_admin_allows_it(client, world):
    claim = make_claim(world, submit=False, line_date=today() - timedelta(days=120))
    client.sign_in(world.carer)
    response = _send(client, claim)
    page = client.get(response.location)
    assert "has not been sent" in page.text and "needs an admin to allow it" in page.text
    db.session.refresh(claim)
    assert claim.status == "draft"
    staff = client.application.test_client()
    staff.sign_in(world.admin)
    staff.get(f"/claims/{claim.id}")
    allow = next(f for f in staff.page.forms if f.action == f"/claims/{claim.id}/override")
    response = staff.post(allow.action, data={**allow.fields, "reason": ""})
    assert response.status_code == 422 and "Give the reason" in response.text
    response = staff.post(allow.action, data={**allow.fields, "reason": "Carer was in hospital in the spring"})
    assert response.status_code == 302
    assert _send(client, claim).status_code == 302
    db.session.refresh(claim)
    assert claim.status == "submitted" and claim.override_by_id == world.admin.id


def test_a_query_comes_back_to_the_carer_who_answers_and_resubmits(client, world):
    from portal.claims.decisions import query_claim

    claim = make_claim(world)
    query_claim(world.support, claim, version=claim.version, question="Which trip was this?")
    client.sign_in(world.carer)
    page = client.get(f"/claims/{claim.id}")
    assert "Which trip was this?" in page.text and "Queried" in page.text
    index = _form_index(client, claim, "submit")
    response = client.submit(f"/claims/{claim.id}", {"answer": ""}, form_index=index)
    assert response.status_code == 422 and "Answer the question" in response.text
    response = client.submit(f"/claims/{claim.id}", {"answer": "The seaside trip in half term"}, form_index=index)
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "submitted"
    history = text_of(client.get(f"/claims/{claim.id}"))
    assert "Which trip was this?" in history and "The seaside trip in half term" in history


def test_carers_see_only_their_own_households_claims(client, world):
    mine = make_claim(world)
    other_carer, other_household = make_carer_household()
    theirs = make_claim(world, carer=other_carer, household=other_household)
    client.sign_in(world.carer)
    listing = client.get("/claims")
    assert mine.number in listing.text and theirs.number not in listing.text
    assert client.get(f"/claims/{theirs.id}").status_code == 404
    assert client.get(f"/claims/{theirs.id}/lines/{theirs.lines[0].id}/receipt/thumb").status_code == 404


def test_a_carer_sees_every_status_with_the_paid_date_and_reference(client, world):
    from portal.claims.batches import create_batch, mark_batch_paid
    from portal.claims.decisions import approve_claim
    from portal.claims.rules import Settings

    claim = make_claim(world)
    approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=Settings())
    batch = create_batch(world.support, claim_ids=[claim.id])
    mark_batch_paid(world.support, batch, paid_on=today(), reference="BACS-001")
    client.sign_in(world.carer)
    listing = text_of(client.get("/claims"))
    assert "Paid" in listing and "BACS-001" in listing
