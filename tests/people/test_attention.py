"""What needs a carer's attention: annual review, a household on hold, Regulation 24 approval running out."""

from __future__ import annotations

from datetime import date, timedelta

from portal.core.clock import today
from portal.people.attention import annual_review_due, household_attention
from portal.people.models import Child, Household, Placement


def _household(approved: date | None, status: str = "active") -> Household:
    return Household(name="H", reference="R", carer_type="kinship", approval_date=approved, status=status)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def test_the_annual_review_falls_on_the_next_anniversary_of_approval():
    on = date(2026, 3, 1)
    assert annual_review_due(_household(date(2025, 6, 1)), on) == date(2026, 6, 1)
    assert annual_review_due(_household(date(2020, 3, 1)), on) == date(2026, 3, 1)
    assert annual_review_due(_household(date(2020, 2, 1)), on) == date(2027, 2, 1)
    assert annual_review_due(_household(None), on) is None


def test_a_review_within_60_days_needs_attention_and_one_further_off_does_not():
    on = today()
    soon = _household(_years_before(on + timedelta(days=30), 3))
    later = _household(_years_before(on + timedelta(days=90), 3))
    assert [i.text for i in household_attention(soon, [], on)] == ["Your annual foster carer review is due"]
    assert household_attention(later, [], on) == []


def test_a_household_on_hold_is_told_first():
    items = household_attention(_household(None, status="on_hold"), [], today())
    assert items[0].urgent and "on hold" in items[0].text


def _reg24(days_ago: int) -> Placement:
    child = Child(first_name="Noah", last_name="G", date_of_birth=date(2020, 1, 1), case_reference="X")
    return Placement(child=child, start_date=today() - timedelta(days=days_ago), placement_type="regulation_24")


def test_regulation_24_approval_is_flagged_in_its_last_four_weeks():
    household = _household(None)
    assert household_attention(household, [_reg24(50)], today()) == []
    [item] = household_attention(household, [_reg24(100)], today())
    assert item.text == "Temporary approval for Noah ends" and item.due == today() + timedelta(days=12)
    [late] = household_attention(household, [_reg24(120)], today())
    assert "passed its 16 weeks" in late.text
