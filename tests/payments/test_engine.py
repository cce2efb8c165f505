"""The pay-run engine, table by table: part weeks, birthdays, 11th and 18th birthdays, rate changes, missing rates,
holds, late changes as adjustments, and rounding to the penny."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.payments.engine import RunInput, compute_run, ledger_segments, paid_extra_keys
from portal.payments.terms import (
    Assignment,
    Child,
    ClaimDue,
    ManualAdjustment,
    Placement,
    Rate,
    RateMissing,
    Settings,
    nights_amount,
)

REST = (170_00, 176_00, 194_00, 220_00, 258_00)
BANDS = ("0-2", "3-4", "5-10", "11-15", "16-17")


def rates(*, until: date | None = date(2026, 3, 31), extra: list[Rate] | None = None) -> list[Rate]:
    rows = [Rate("allowance", b, date(2025, 4, 1), until, a, "rest_of_england") for b, a in zip(BANDS, REST)]
    return rows + (extra or [])


SETTINGS = Settings(first_period_start=date(2025, 4, 7), frequency="weekly", pay_lag_days=5, lookback_days=182)
MILLIE = Child(1, "Millie", date(2017, 9, 3))


def run(start, end, placements, *, children=None, settings=SETTINGS, rate_rows=None, **kw):
    inp = RunInput(
        start,
        end,
        settings,
        rate_rows if rate_rows is not None else rates(),
        children or {MILLIE.id: MILLIE},
        placements,
        **kw,
    )
    return compute_run(inp)


def allowance(result):
    return [ln for ln in result.lines if ln.kind == "allowance"]


@pytest.mark.parametrize(
    "start, end, nights, pence",
    [
        (date(2025, 4, 7), None, 7, 194_00),  # a full week pays exactly the weekly rate
        (date(2025, 4, 10), None, 4, nights_amount(194_00, date(2025, 4, 10), date(2025, 4, 14))),  # starts mid-week
        (
            date(2025, 4, 1),
            date(2025, 4, 9),
            2,
            nights_amount(194_00, date(2025, 4, 7), date(2025, 4, 9)),
        ),  # ends mid-week
        (date(2025, 4, 8), date(2025, 4, 11), 3, nights_amount(194_00, date(2025, 4, 8), date(2025, 4, 11))),  # both
    ],
)
def test_part_weeks_are_paid_in_sevenths(start, end, nights, pence):
    result = run(date(2025, 4, 7), date(2025, 4, 13), [Placement(1, 10, start, end)])
    [line] = allowance(result)
    assert (line.nights, line.amount_pence) == (nights, pence)
    assert abs(line.amount_pence - 194_00 * nights / 7) < 1
    assert "Millie, 5-10 band" in line.description and f"{nights} night" in line.description


def test_a_line_explains_itself_in_words():
    result = run(date(2025, 4, 7), date(2025, 4, 13), [Placement(1, 10, date(2025, 4, 8), None)])
    assert allowance(result)[0].description.startswith("Millie, 5-10 band, 6 nights × £27.71 a night")


@pytest.mark.parametrize("rule, old_nights", [("birthday", 3), ("week_start", 0), ("next_week", 7)])
def test_the_band_changes_on_the_11th_birthday_as_the_council_says(rule, old_nights):
    child = Child(2, "Sam", date(2014, 4, 17))  # 11 on Thursday 17 April 2025
    result = run(
        date(2025, 4, 14),
        date(2025, 4, 20),
        [Placement(2, 10, date(2025, 1, 1), None)],
        children={2: child},
        settings=Settings(**{**SETTINGS.__dict__, "band_rule": rule}),
    )
    by_band = {ln.code: ln.nights for ln in allowance(result)}
    assert by_band.get("5-10", 0) == old_nights and by_band.get("11-15", 0) == 7 - old_nights


def test_nothing_is_paid_from_the_18th_birthday_unless_staying_put_applies():
    child = Child(3, "Jordan", date(2007, 4, 10))  # 18 on Thursday 10 April 2025
    placements = [Placement(3, 10, date(2024, 1, 1), None, staying_put=True)]
    plain = run(date(2025, 4, 7), date(2025, 4, 13), placements, children={3: child})
    assert [(ln.code, ln.nights) for ln in allowance(plain)] == [("16-17", 3)]
    with_scheme = Settings(**{**SETTINGS.__dict__, "staying_put": True})
    with pytest.raises(RateMissing, match="18-20"):
        run(date(2025, 4, 7), date(2025, 4, 13), placements, children={3: child}, settings=with_scheme)
    sp = rates(extra=[Rate("allowance", "18-20", date(2025, 4, 1), None, 150_00, "rest_of_england")])
    paid = run(date(2025, 4, 7), date(2025, 4, 13), placements, children={3: child}, settings=with_scheme, rate_rows=sp)
    assert [(ln.code, ln.nights) for ln in allowance(paid)] == [("16-17", 3), ("18-20", 4)]


def test_a_rate_change_inside_the_period_splits_the_line_at_the_change():
    rows = rates(until=date(2025, 4, 9)) + [
        Rate("allowance", b, date(2025, 4, 10), None, a + 700, "rest_of_england") for b, a in zip(BANDS, REST)
    ]
    result = run(date(2025, 4, 7), date(2025, 4, 13), [Placement(1, 10, date(2025, 1, 1), None)], rate_rows=rows)
    assert [(ln.nights, ln.weekly_pence) for ln in allowance(result)] == [(3, 194_00), (4, 201_00)]


def test_overlapping_rates_for_the_same_band_are_refused():
    rows = rates() + [Rate("allowance", "5-10", date(2025, 4, 10), None, 200_00, "rest_of_england")]
    with pytest.raises(RateMissing, match="Two allowance rate '5-10'"):
        run(date(2025, 4, 7), date(2025, 4, 13), [Placement(1, 10, date(2025, 1, 1), None)], rate_rows=rows)


def test_a_missing_rate_is_a_clear_error_and_no_run():
    with pytest.raises(RateMissing) as err:
        run(date(2026, 3, 30), date(2026, 4, 5), [Placement(1, 10, date(2025, 1, 1), None)])
    assert err.value.problems == [
        "There is no allowance rate '5-10' (rest of england) for 1 April 2026: add it on the rates page"
    ]


def test_the_birthday_extra_is_paid_in_the_run_before_the_birthday():
    birthday = Rate("extra", "birthday", date(2025, 4, 1), None, basis="allowance_multiple", allowance_weeks_pct=100)
    child = Child(4, "Ruby", date(2019, 5, 1))  # 6 on Thursday 1 May 2025; weekly runs, paid 5 days after
    placements = [Placement(4, 10, date(2025, 1, 1), None)]
    paid_in, paid = [], set()
    for week in range(4):
        start = date(2025, 4, 7) + timedelta(days=7 * week)
        result = run(
            start,
            start + timedelta(days=6),
            placements,
            children={4: child},
            rate_rows=rates(extra=[birthday]),
            paid_extras=set(paid),
        )
        paid |= paid_extra_keys(result)
        if any(ln.kind == "extra" for ln in result.lines):
            paid_in.append(start)
    assert len(paid_in) == 1
    assert paid_in[0] + timedelta(days=6 + SETTINGS.pay_lag_days) < date(2025, 5, 1)  # paid before the day


def test_held_lines_are_not_paid_and_not_in_the_ledger():
    placements = [Placement(1, 10, date(2025, 1, 1), None)]
    first = run(date(2025, 4, 7), date(2025, 4, 13), placements)
    key = allowance(first)[0].key
    held = run(date(2025, 4, 7), date(2025, 4, 13), placements, holds={key: "Placement dates being checked"})
    assert held.total_pence == 0 and allowance(held)[0].hold_reason == "Placement dates being checked"
    assert ledger_segments(held) == []
    nxt = run(date(2025, 4, 14), date(2025, 4, 20), placements, paid_segments=ledger_segments(held))
    adj = [ln for ln in nxt.lines if ln.is_adjustment]
    assert [a.amount_pence for a in adj] == [194_00]  # the held week comes back in the next run


def test_a_placement_end_entered_late_is_recovered_with_a_visible_line():
    before = run(date(2025, 4, 7), date(2025, 4, 13), [Placement(1, 10, date(2025, 1, 1), None)])
    late = [Placement(1, 10, date(2025, 1, 1), date(2025, 4, 10))]  # she left on the 10th; entered after the run
    nxt = run(date(2025, 4, 14), date(2025, 4, 20), late, paid_segments=ledger_segments(before))
    [adj] = [ln for ln in nxt.lines if ln.is_adjustment]
    assert adj.amount_pence == -(194_00 - nights_amount(194_00, date(2025, 4, 7), date(2025, 4, 10)))
    assert adj.description.startswith("Overpayment recovered: allowance for Millie, 10 to 13 April 2025")


def test_a_placement_start_entered_late_is_paid_as_an_adjustment():
    before = run(date(2025, 4, 7), date(2025, 4, 13), [])
    nxt = run(
        date(2025, 4, 14),
        date(2025, 4, 20),
        [Placement(1, 10, date(2025, 4, 11), None)],
        paid_segments=ledger_segments(before),
    )
    [adj] = [ln for ln in nxt.lines if ln.is_adjustment]
    assert adj.amount_pence == nights_amount(194_00, date(2025, 4, 11), date(2025, 4, 14))
    assert "11 to 13 April 2025" in adj.description


def test_fees_supplements_claims_and_manual_adjustments_are_lines():
    extra = [
        Rate("fee", "level_2", date(2025, 4, 1), None, 175_00, basis="per_household_week", label="Level 2"),
        Rate("supplement", "enhanced", date(2025, 4, 1), None, 100_00, label="Enhanced needs supplement"),
    ]
    result = run(
        date(2025, 4, 7),
        date(2025, 4, 13),
        [Placement(1, 10, date(2025, 4, 9), None)],
        rate_rows=rates(extra=extra),
        assignments=[
            Assignment("fee", 10, None, "level_2", date(2025, 1, 1), None),
            Assignment("supplement", 10, 1, "enhanced", date(2025, 1, 1), None),
        ],
        claims=[ClaimDue(9, 10, "CL-000009", "Mileage", 12_60, date(2025, 4, 12))],
        manual=[ManualAdjustment(5, 10, -20_00, "Overpaid clothing grant in March")],
    )
    kinds = {ln.kind: ln for ln in result.lines}
    assert kinds["fee"].nights == 5 and kinds["supplement"].nights == 5
    assert kinds["claim"].amount_pence == 12_60 and kinds["manual"].description.startswith("Overpayment recovered")
    assert result.total_pence == sum(ln.amount_pence for ln in result.lines)


@pytest.mark.parametrize("weekly", [170_00, 194_01, 258_99, 1])
def test_rounding_is_to_the_penny_and_lines_add_up_to_whole_weeks(weekly):
    day = date(2025, 4, 7)
    parts = [nights_amount(weekly, day + timedelta(days=i), day + timedelta(days=i + 1)) for i in range(7)]
    assert sum(parts) == weekly
    assert all(abs(p - weekly / 7) < 1 for p in parts)
