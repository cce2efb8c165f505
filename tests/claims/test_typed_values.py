"""Claims as people type them: decimal commas in amounts and miles, month names in dates, the reading shown back,
each line checked against the child's placement, and files said to be lost when a page is shown again."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.claims.line_children import placement_problem
from portal.claims.models import Claim, MileageRate
from portal.claims.rules import settings
from portal.claims.services import ClaimRefused, LineInput, start_claim
from portal.core.clock import today
from portal.core.db import db
from tests.claims.conftest import date_fields, expense_form, journey_form, png_bytes
from tests.factories import make_child, place
from tests.pages import text_of

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


def _claims() -> list[Claim]:
    return db.session.scalars(select(Claim).order_by(Claim.id)).all()


@pytest.mark.parametrize(
    "typed, pence", [("12,50", 1250), ("1,250.00", 125_000), ("1,250", 125_000), ("£7,30", 730), ("12.50", 1250)]
)
def test_an_allowance_of_12_comma_50_is_twelve_pounds_fifty_not_1250(client, world, typed, pence):
    client.sign_in(world.carer)
    data = {**expense_form(world, category="holiday"), "amount": typed}
    response = client.submit("/claims/new/allowance", data)
    assert response.status_code == 302
    (claim,) = _claims()
    assert claim.total_pence == pence
    page = client.get(response.location)
    shown = f"£{pence // 100:,}.{pence % 100:02d}"
    assert f"Send claim for {shown}" in text_of(page)  # the check page before sending shows the reading
    if typed not in (shown, shown[1:]):
        assert f"You typed {typed}: that is {shown}." in text_of(page)


def test_an_ambiguous_amount_is_a_question_and_nothing_is_saved(client, world):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/allowance", {**expense_form(world, category="holiday"), "amount": "1.250"})
    assert response.status_code == 422
    assert "Did you mean £1,250.00?" in text_of(response) and 'value="1.250"' in response.text
    assert _claims() == []


def test_the_amount_field_shows_its_reading_as_it_is_typed(client, world):
    client.sign_in(world.carer)
    page = client.get("/claims/new/allowance")
    assert 'data-money="pounds"' in page.text and 'id="amount-reading"' in page.text
    page = client.get("/claims/new/mileage")
    assert 'data-money="number"' in page.text and 'data-places="1"' in page.text


@pytest.mark.parametrize("typed, tenths", [("7,3", 73), ("7.3", 73), ("12,5 miles", 125), ("1,000", 10_000)])
def test_seven_comma_three_miles_is_7_3_miles_not_73(client, world, typed, tenths):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", journey_form(world, miles=typed))
    assert response.status_code == 302
    ((line,),) = [c.lines for c in _claims()]
    assert line.miles_tenths == tenths
    said = text_of(client.get(response.location))
    if typed == "7,3":
        assert "You typed 7,3 miles: that is 7.3 miles." in said
    if typed == "12,5 miles":
        assert "You typed 12,5 miles: that is 12.5 miles." in said


def test_the_estimate_reads_a_decimal_comma_too(client, world):
    client.sign_in(world.carer)
    d = (today() - timedelta(days=1)).isoformat()
    body = client.get(f"/claims/mileage-estimate?date={d}&miles=7,3&vehicle=car").get_json()
    assert body["ok"] and body["note"].startswith("7.3 mi")


def _rate_form(**overrides):
    data = {
        "vehicle": "car",
        "effective_from-day": "6",
        "effective_from-month": "Apr",
        "effective_from-year": "2030",
        "pence_per_mile": "55",
        "threshold_miles": "10,000",
        "pence_after_threshold": "25",
        "source": "HMRC approved mileage rates",
    }
    data.update(overrides)
    return data


def test_an_admin_types_a_rate_with_a_thousands_comma_and_a_month_name(client, world):
    client.sign_in(world.admin)
    response = client.submit("/claims/mileage-rates/new", _rate_form())
    assert response.status_code == 302
    rate = db.session.scalar(select(MileageRate).where(MileageRate.effective_from == date(2030, 4, 6)))
    assert (rate.pence_per_mile, rate.threshold_miles, rate.pence_after_threshold) == (55, 10_000, 25)


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("pence_per_mile", "55,5", "Enter the pence per mile as a whole number"),
        ("pence_per_mile", "501", "Enter the pence per mile from 0 to 500"),
        ("threshold_miles", "10.000", "Did you mean 10 or 10,000?"),
        ("pence_per_mile", "", "Enter the pence per mile"),
    ],
)
def test_a_rate_that_cannot_be_read_gets_a_message_beside_it(client, world, field, typed, message):
    client.sign_in(world.admin)
    response = client.submit("/claims/mileage-rates/new", _rate_form(**{field: typed}))
    assert response.status_code == 422 and message in text_of(response) and f'href="#{field}"' in response.text


@pytest.mark.parametrize("month", ["name", "lower", "abbreviation", "number"])
def test_a_claim_line_date_accepts_month_names(client, world, month):
    d = today() - timedelta(days=2)
    typed = {
        "name": f"{d:%B}",
        "lower": f"{d:%B}".lower(),
        "abbreviation": MONTHS[d.month - 1],
        "number": str(d.month),
    }[month]
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", {**journey_form(world), "line_date-month": typed})
    assert response.status_code == 302
    assert _claims()[0].lines[0].line_date == d


def test_a_month_that_is_not_one_is_still_refused(client, world):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", {**journey_form(world), "line_date-month": "Smarch"})
    assert response.status_code == 422 and "must be a real date" in text_of(response)


@pytest.mark.parametrize("purpose", ["family_time", "health", "education", "court", "placement_meeting"])
def test_a_journey_about_a_child_must_name_the_child(client, world, purpose):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", journey_form(world, category=purpose, children=None))
    assert response.status_code == 422
    assert "Select the child this was for" in text_of(response) and 'href="#children"' in response.text
    assert _claims() == []


@pytest.mark.parametrize("purpose", ["training", "other"])
def test_a_journey_for_training_or_mentoring_needs_no_child(client, world, purpose):
    client.sign_in(world.carer)
    response = client.submit("/claims/new/mileage", journey_form(world, category=purpose, children=None))
    assert response.status_code == 302


def test_a_journey_before_the_child_was_placed_is_refused_naming_the_dates(client, world):
    newcomer = make_child(first_name="Ava")
    placed = today() - timedelta(days=10)
    place(newcomer, world.household, start=placed)
    journey = placed - timedelta(days=30)  # a month before the child came
    client.sign_in(world.carer)
    response = client.submit(
        "/claims/new/mileage", journey_form(world, children=str(newcomer.id), **date_fields(journey))
    )
    assert response.status_code == 422
    text = text_of(response)
    assert f"Ava was placed with you from {placed.day} {placed:%B %Y}" in text
    assert f"{journey.day} {journey:%B %Y} is outside the placement" in text
    assert _claims() == []


def test_a_journey_after_the_placement_ended_is_refused_and_the_move_out_day_is_allowed(app, world):
    leaver = make_child(first_name="Jay")
    left = today() - timedelta(days=5)
    place(leaver, world.household, start=today() - timedelta(days=60), end=left)

    def journey(on):
        line = LineInput(
            line_date=on, category="health", idempotency_key=uuid.uuid4().hex, miles_tenths=50, child_ids=(leaver.id,)
        )
        return start_claim(
            world.carer,
            world.household,
            kind="mileage",
            idempotency_key=uuid.uuid4().hex,
            line=line,
            s=settings(),
            vehicle="car",
        )

    with pytest.raises(ClaimRefused, match=f"until {left.day} {left:%B %Y}, so .* is outside the placement"):
        journey(left + timedelta(days=2))
    claim, _ = journey(left)  # the day the child moved on: taking them to their next home
    assert claim.total_pence > 0


def test_a_child_placed_elsewhere_cannot_be_claimed_for(app, world):
    from tests.factories import make_carer_household

    _, other = make_carer_household()
    stranger = make_child(first_name="Zed")
    place(stranger, other)
    line = LineInput(
        line_date=today() - timedelta(days=1),
        category="health",
        idempotency_key=uuid.uuid4().hex,
        miles_tenths=50,
        child_ids=(stranger.id,),
    )
    with pytest.raises(ClaimRefused, match="Zed was not placed with you"):
        start_claim(
            world.carer,
            world.household,
            kind="mileage",
            idempotency_key=uuid.uuid4().hex,
            line=line,
            s=settings(),
            vehicle="car",
        )


def test_the_placement_rule_names_every_placement():
    spans = [(date(2026, 1, 5), date(2026, 3, 1)), (date(2026, 6, 1), None)]
    assert placement_problem("Millie", date(2026, 2, 1), spans) is None
    assert placement_problem("Millie", date(2026, 3, 1), spans) is None
    assert placement_problem("Millie", date(2026, 7, 1), spans) is None
    assert placement_problem("Millie", date(2026, 4, 1), spans) == (
        "Millie was placed with you from 5 January 2026 until 1 March 2026; from 1 June 2026, "
        "so 1 April 2026 is outside the placement. Check the date, or the child it was for"
    )


def test_an_expense_about_a_child_names_them_and_household_costs_need_none(client, world):
    client.sign_in(world.carer)
    receipt = {"receipt": (io.BytesIO(png_bytes()), "receipt.png")}
    response = client.submit(
        "/claims/new/expense", {**expense_form(world, category="school", children=None), **receipt}
    )
    assert response.status_code == 422 and "Select the child this was for" in text_of(response)
    receipt = {"receipt": (io.BytesIO(png_bytes()), "receipt.png")}
    response = client.submit(
        "/claims/new/expense", {**expense_form(world, category="equipment", children=None), **receipt}
    )
    assert response.status_code == 302


def test_a_chosen_receipt_is_said_to_be_lost_when_the_page_is_shown_again(client, world):
    client.sign_in(world.carer)
    data = {**expense_form(world, amount="", note="Winter coat"), "receipt": (io.BytesIO(png_bytes()), "coat.png")}
    response = client.submit("/claims/new/expense", data)
    assert response.status_code == 422
    text = text_of(response)
    assert "coat.png was not kept because of the problem on this page: choose the file again" in text
    assert 'id="receipt-error"' in response.text and "Winter coat" in response.text
    # A rule refusing the line after the form was read (the child's placement) says the same
    data = {
        **expense_form(world, category="school", children=None, note="Trip"),
        "receipt": (io.BytesIO(png_bytes()), "trip.png"),
    }
    response = client.submit("/claims/new/expense", data)
    assert "trip.png was not kept" in text_of(response) and "Trip" in response.text
