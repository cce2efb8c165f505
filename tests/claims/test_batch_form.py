"""The payment batch form, 25 claims a page: the ticks made on each page travel with the form between pages, the
batch is made from exactly the ticked claims in one submission, and the form's queries do not grow with the claims
waiting (a count capped at 1,000, a page read in index order)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from portal.claims import queries
from portal.claims.models import Claim, ClaimStatus
from portal.core.db import db, utcnow
from tests.pages import text_of

URL = "/payment-batches/new"


def _waiting(world, n: int, *, start: int = 0) -> list[Claim]:
    """`n` approved claims waiting for a batch, the first decided longest ago (rows written directly: a page's
    worth and more, quickly); each for 100 pence more than the one before, from £10."""
    decided = utcnow() - timedelta(days=100)
    claims = [
        Claim(
            kind="allowance",
            status=ClaimStatus.APPROVED,
            household_id=world.household.id,
            claimant_id=world.carer.id,
            idempotency_key=uuid.uuid4().hex,
            total_pence=1000 + 100 * i,
            approved_pence=1000 + 100 * i,
            submitted_at=decided - timedelta(days=1),
            decided_at=decided + timedelta(minutes=i),
        )
        for i in range(start, start + n)
    ]
    db.session.add_all(claims)
    db.session.commit()
    return claims


def _form(response) -> tuple[dict[str, str], list[int], list[int]]:
    """The batch form's hidden fields, the ids of the claims on the page and those ticked."""
    page = response.page
    form = next(f for f in page.forms if f.method == "post" and f.action == URL)
    boxes = re.findall(r'<input class="govuk-checkboxes__input"[^>]*value="(\d+)"([^>]*)>', response.text)
    hidden = {k: form.fields[k] for k in ("csrf_token", "page", "kept")}
    return hidden, [int(v) for v, _ in boxes], [int(v) for v, rest in boxes if "checked" in rest]


def _send(client, hidden: dict, ticked: list[int], *, follow_redirects: bool = False, **extra):
    data = {**hidden, "scope": "selected", "claim_ids": [str(i) for i in ticked], **extra}
    return client.post(URL, data=data, follow_redirects=follow_redirects)


def test_the_form_shows_25_claims_a_page_summaries_first(client, world):
    claims = _waiting(world, 30)
    client.sign_in(world.support)
    response = client.get(URL)
    _hidden, shown, ticked = _form(response)
    assert shown == [c.id for c in claims[:25]] and ticked == []
    text = text_of(response)
    total = sum(c.approved_pence for c in claims)
    assert f"Waiting to be paid30 approved claims, £{total / 100:,.2f}" in text
    assert text.index("Waiting to be paid") < text.index("Approved claims") < text.index("Showing 1 to 25 of 30")
    assert "You have ticked0 claims, £0.00" in text
    assert "30 approved claims are waiting to be paid." in text
    second = client.get(URL + "?page=2")
    assert _form(second)[1] == [c.id for c in claims[25:]]


def test_ticks_are_kept_across_pages_and_the_batch_holds_exactly_the_ticked_claims(client, world):
    claims = _waiting(world, 60)
    client.sign_in(world.support)
    hidden, shown, _ = _form(client.get(URL))
    first_ticks = [shown[0], shown[3], shown[24]]
    response = _send(client, hidden, first_ticks, go="2")  # the "2" page link: a button of the form
    assert response.status_code == 200
    hidden, shown, ticked = _form(response)
    assert shown == [c.id for c in claims[25:50]] and ticked == []
    assert set(hidden["kept"].split()) == {str(i) for i in first_ticks}
    assert f"You have ticked3 claims, £{sum(c.approved_pence for c in claims if c.id in first_ticks) / 100:,.2f}" in (
        text_of(response)
    )
    second_ticks = [shown[1], shown[2]]
    response = _send(client, hidden, second_ticks, go="3")
    hidden, shown, _ = _form(response)
    assert shown == [c.id for c in claims[50:]]
    response = _send(client, hidden, [], go="1")  # back to the first page: its ticks are shown ticked again
    hidden, shown, ticked = _form(response)
    assert ticked == first_ticks
    # What the page's script adds its own ticks to: the ticks kept from other pages (static/js/batch.js).
    kept_pence = sum(c.approved_pence for c in claims if c.id in second_ticks)
    assert f'data-kept-count="2" data-kept-pence="{kept_pence}"' in response.text
    assert set(hidden["kept"].split()) == {str(i) for i in second_ticks}
    untick = first_ticks[1:]  # the person unticks one on the first page, then makes the batch
    response = _send(client, hidden, untick)
    assert response.status_code == 302
    chosen = set(untick + second_ticks)
    batched = set(db.session.scalars(select(Claim.id).where(Claim.batch_id.is_not(None))))
    assert batched == chosen
    assert all(c.status == ClaimStatus.APPROVED for c in claims if c.id not in chosen)


def test_nothing_is_made_when_moving_between_pages(client, world):
    claims = _waiting(world, 30)
    client.sign_in(world.support)
    hidden, shown, _ = _form(client.get(URL))
    _send(client, hidden, shown[:2], go="2")
    assert db.session.scalar(select(Claim.id).where(Claim.batch_id.is_not(None))) is None
    assert {c.status for c in claims} == {ClaimStatus.APPROVED}


def test_a_form_sent_with_no_ticks_anywhere_asks_for_one_and_keeps_the_page(client, world):
    _waiting(world, 30)
    client.sign_in(world.support)
    hidden, _, _ = _form(client.get(URL + "?page=2"))
    response = _send(client, hidden, [])
    assert response.status_code == 422 and "Select at least one claim" in response.text
    assert _form(response)[0]["page"] == "2"


def test_ticks_no_longer_waiting_are_left_out_and_the_person_is_told(client, world):
    claims = _waiting(world, 3)
    client.sign_in(world.support)
    hidden, shown, _ = _form(client.get(URL))
    claims[0].status = ClaimStatus.REJECTED  # decided again meanwhile, say
    db.session.commit()
    response = _send(client, hidden, shown, follow_redirects=True)
    assert "made with 2 claims. 1 of the claims you ticked was no longer waiting to be paid" in text_of(response)


@pytest.mark.parametrize("kept", ["12 x 99999999999999999999 -4", "9" * 5000])
def test_kept_ticks_typed_by_hand_are_ignored_not_a_500(client, world, kept):
    _waiting(world, 2)
    client.sign_in(world.support)
    hidden, shown, _ = _form(client.get(URL))
    response = _send(client, {**hidden, "kept": kept}, [], go="1")
    assert response.status_code == 200


def test_one_claim_waiting_is_one_claim(client, world):
    _waiting(world, 1)
    client.sign_in(world.support)
    text = text_of(client.get(URL))
    assert "Waiting to be paid1 approved claim," in text and "1 approved claim is waiting to be paid." in text


def test_more_waiting_than_the_cap_are_counted_only_so_far(client, world, monkeypatch):
    monkeypatch.setattr(queries, "WAITING_COUNT_CAP", 10)
    _waiting(world, 30)
    client.sign_in(world.support)
    response = client.get(URL)
    text = text_of(response)
    assert "More than 10 approved claims are waiting to be paid" in text and "£" not in text.split("You have")[0]
    assert "Showing 1 to 25 of more than 10 approved claims" in text
    hidden, _, _ = _form(response)
    response = _send(client, hidden, [], go="2")
    assert "Showing 26 to 30 of more than 10 approved claims" in text_of(response)


def _statements(client, request) -> int:
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        request(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_form_makes_as_many_queries_with_many_claims_waiting(client, world):
    client.sign_in(world.support)

    def two_pages(c):
        hidden, shown, _ = _form(c.get(URL))
        _send(c, hidden, shown[:3], go="2")

    _waiting(world, 30)
    few = _statements(client, two_pages)
    _waiting(world, 60, start=30)
    many = _statements(client, two_pages)
    assert many == few
    _waiting(world, 300, start=90)  # past WAITING_COUNT_CAP: counted so far, and not totalled
    assert _statements(client, two_pages) <= few
