"""Numbers and dates typed by hand into a form or query string, too big to name anything, answer like any other
wrong value: never a 500 (an id beyond the database's integer, a year the tax-year arithmetic cannot reach)."""

from __future__ import annotations

from sqlalchemy import select

from portal.claims import decisions
from portal.claims.models import Claim, PaymentBatch
from portal.claims.rules import Settings
from portal.core.db import db
from portal.core.inputs import MAX_ID, coerce_id, id_or_none
from tests.claims.conftest import make_claim

HUGE = "99999999999999999999"


def test_only_digits_up_to_the_largest_id_are_ids():
    assert id_or_none("42") == 42 and id_or_none(str(MAX_ID)) == MAX_ID
    for text in (HUGE, str(MAX_ID + 1), "-1", "4e3", "", None, " ", "١٢"):
        assert id_or_none(text) is None, text
    assert coerce_id("7") == 7
    for text in (HUGE, "x"):
        try:
            coerce_id(text)
        except ValueError:
            continue
        raise AssertionError(text)


def test_the_mileage_estimate_answers_hand_made_claims_and_dates_without_an_error(client, world):
    client.sign_in(world.carer)
    for query in (
        f"date=2026-04-06&miles=20&vehicle=car&claim={HUGE}",
        "date=9999-12-31&miles=20&vehicle=car",
        "date=0001-01-01&miles=20&vehicle=car",
    ):
        response = client.get(f"/claims/mileage-estimate?{query}")
        assert response.status_code in (200, 404), query
    assert client.get("/claims/mileage-estimate?date=2026-04-06&miles=20&vehicle=car").json["ok"]


def test_a_decision_or_second_approval_with_a_hand_made_version_is_refused_as_stale(client, world):
    claim = make_claim(world)
    client.sign_in(world.support)
    client.get(f"/claims/{claim.id}")
    form = next(f for f in client.page.forms if f.action == f"/claims/{claim.id}/decision")
    response = client.post(form.action, data={**form.fields, "decision": "approve", "version": HUGE})
    assert response.status_code in (302, 409, 422)
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == "submitted"  # nothing decided on a version that never was
    response = client.post(
        f"/claims/{claim.id}/second-approval", data={"csrf_token": form.fields["csrf_token"], "version": HUGE}
    )
    assert response.status_code < 500


def test_a_batch_of_hand_made_claim_ids_makes_no_batch(client, world):
    client.sign_in(world.support)
    claim = make_claim(world)
    decisions.approve_claim(world.support2, claim, version=claim.version, rejected_lines={}, s=Settings())
    response = client.submit("/payment-batches/new", {"scope": "selected", "claim_ids": HUGE})
    assert response.status_code < 500
    assert not db.session.scalars(select(PaymentBatch)).all()
