"""Property: splitting a period into smaller runs pays exactly the same total as one run, to the penny."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.payments.engine import RunInput, compute_run, ledger_segments, paid_extra_keys
from portal.payments.terms import Assignment, Child, Placement, Rate, Settings

BANDS = ("0-2", "3-4", "5-10", "11-15", "16-17")
RATES = (
    [
        Rate("allowance", b, date(2025, 4, 1), date(2025, 9, 30), a, "rest_of_england")
        for b, a in zip(BANDS, (170_00, 176_00, 194_00, 220_00, 258_00))
    ]
    + [
        Rate("allowance", b, date(2025, 10, 1), None, a, "rest_of_england")
        for b, a in zip(BANDS, (171_13, 177_77, 195_55, 221_01, 259_99))
    ]
    + [
        Rate("extra", "birthday", date(2025, 4, 1), None, basis="allowance_multiple", allowance_weeks_pct=100),
        Rate("fee", "level_1", date(2025, 4, 1), None, 99_99, basis="per_household_week"),
        Rate("supplement", "complex", date(2025, 4, 1), None, 200_00),
    ]
)
START = date(2025, 4, 7)
SETTINGS = Settings(first_period_start=START, frequency="weekly", lookback_days=400)

days = st.integers(min_value=0, max_value=200)


@st.composite
def worlds(draw):
    children, placements = {}, []
    for cid in range(1, draw(st.integers(1, 4)) + 1):
        born = date(2007, 1, 1) + timedelta(days=draw(st.integers(0, 365 * 18)))
        children[cid] = Child(cid, f"Child {cid}", born)
        start = START + timedelta(days=draw(days) - 30)
        length = draw(st.one_of(st.none(), st.integers(1, 150)))
        placements.append(
            Placement(cid, draw(st.sampled_from([10, 11])), start, start + timedelta(days=length) if length else None)
        )
    cuts = sorted(set(draw(st.lists(st.integers(1, 181), max_size=6))))
    return children, placements, cuts


def _total(children, placements, periods) -> int:
    paid, extras, total = [], set(), 0
    terms = [
        Assignment("fee", 10, None, "level_1", START, None),
        Assignment("supplement", None, 1, "complex", START, None),
    ]
    for start, end in periods:
        result = compute_run(
            RunInput(
                start,
                end,
                SETTINGS,
                RATES,
                children,
                placements,
                assignments=terms,
                paid_segments=list(paid),
                paid_extras=set(extras),
            )
        )
        paid += ledger_segments(result)
        extras |= paid_extra_keys(result)
        total += result.total_pence
    return total


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_splitting_a_period_into_smaller_runs_pays_the_same_total(world):
    children, placements, cuts = world
    end = START + timedelta(days=181)
    whole = _total(children, placements, [(START, end)])
    bounds = [START, *(START + timedelta(days=c) for c in cuts), end + timedelta(days=1)]
    pieces = [(a, b - timedelta(days=1)) for a, b in zip(bounds, bounds[1:])]
    assert _total(children, placements, pieces) == whole
