"""The mileage rate engine, table by table: thresholds, tax-year boundaries, rate changes, shared and return journeys."""

from __future__ import annotations

from datetime import date

import pytest

from portal.claims.rates import (
    BICYCLE,
    CAR,
    MOTORCYCLE,
    Journey,
    NoRate,
    Rate,
    financial_year_start,
    hmrc_rates,
    price_journeys,
    split_between,
    tax_year_start,
)

HMRC = hmrc_rates()
D = date(2025, 6, 1)


def amounts(journeys, rates=HMRC, vehicle=CAR, prior=None):
    return [p.amount_pence for p in price_journeys(journeys, rates, vehicle, prior)]


@pytest.mark.parametrize(
    "vehicle, tenths, is_return, passengers, expected",
    [
        (CAR, 100, False, 0, 450),  # 10 miles at 45p
        (CAR, 100, True, 0, 900),  # a return journey doubles the miles
        (CAR, 123, False, 0, 554),  # 12.3 × 45 = 553.5p: to the nearest penny, halves up
        (CAR, 100, False, 2, 550),  # two passengers at 5p a mile each
        (MOTORCYCLE, 100, False, 0, 240),
        (BICYCLE, 55, True, 0, 220),  # 11 miles at 20p
    ],
)
def test_a_journey_is_priced_at_the_rate_for_its_vehicle(vehicle, tenths, is_return, passengers, expected):
    assert amounts([Journey(D, tenths, is_return, passengers)], vehicle=vehicle) == [expected]


@pytest.mark.parametrize(
    "prior_miles, journey_tenths, expected_pence, segments",
    [
        (9_990, 200, 10 * 45 + 10 * 25, [(100, 45), (100, 25)]),  # crosses 10,000: split between the two rates
        (10_000, 100, 250, [(100, 25)]),  # already over: all at 25p
        (9_000, 100, 450, [(100, 45)]),  # well under
        (9_999, 15, 45 + 13, [(10, 45), (5, 25)]),  # 0.5 mi × 25p = 12.5p: the journey rounds once
    ],
)
def test_the_ten_thousand_mile_threshold_counts_what_was_already_claimed(
    prior_miles, journey_tenths, expected_pence, segments
):
    (priced,) = price_journeys([Journey(D, journey_tenths)], HMRC, CAR, {tax_year_start(D): prior_miles * 10})
    assert priced.amount_pence == expected_pence
    assert [(s.tenths, s.pence_per_mile) for s in priced.segments] == segments


def test_journeys_in_one_claim_carry_the_count_from_one_to_the_next_in_date_order():
    early, late = Journey(date(2025, 5, 1), 100), Journey(date(2025, 5, 2), 100)
    # Listed late first; the earlier journey still uses up the 45p miles first.
    assert amounts([late, early], prior={date(2025, 4, 6): 99_950}) == [250, 5 * 45 + 5 * 25]


@pytest.mark.parametrize(
    "day, year_start",
    [(date(2025, 4, 5), date(2024, 4, 6)), (date(2025, 4, 6), date(2025, 4, 6)), (date(2026, 1, 1), date(2025, 4, 6))],
)
def test_the_tax_year_starts_on_6_april(day, year_start):
    assert tax_year_start(day) == year_start


def test_the_count_starts_again_on_6_april():
    prior = {date(2024, 4, 6): 100_000}  # 10,000 miles claimed in 2024-25
    on_5th, on_6th = Journey(date(2025, 4, 5), 100), Journey(date(2025, 4, 6), 100)
    assert amounts([on_5th, on_6th], prior=prior) == [250, 450]


@pytest.mark.parametrize("day, start", [(date(2025, 3, 31), date(2024, 4, 1)), (date(2025, 4, 1), date(2025, 4, 1))])
def test_the_financial_year_starts_on_1_april(day, start):
    assert financial_year_start(day) == start


def test_a_rate_change_mid_claim_prices_each_journey_at_the_rate_on_its_date():
    rates = [
        Rate(CAR, date(2020, 1, 1), date(2025, 6, 30), 45, 10_000, 25),
        Rate(CAR, date(2025, 7, 1), None, 50, 10_000, 30),
    ]
    assert amounts([Journey(date(2025, 6, 30), 100), Journey(date(2025, 7, 1), 100)], rates=rates) == [450, 500]


def test_a_newer_overlapping_row_wins_so_an_admin_can_correct_a_rate():
    rates = [Rate(CAR, date(2020, 1, 1), None, 45, 10_000, 25), Rate(CAR, date(2025, 1, 1), None, 55, 10_000, 25)]
    assert amounts([Journey(D, 100)], rates=rates) == [550]


def test_a_date_without_a_rate_is_refused_clearly():
    with pytest.raises(NoRate, match="No car or van mileage rate is set for 1 January 2000"):
        price_journeys([Journey(date(2000, 1, 1), 10)], HMRC, CAR)


@pytest.mark.parametrize(
    "amount, children, shares",
    [(900, (1, 2), {1: 450, 2: 450}), (1001, (1, 2, 3), {1: 334, 2: 334, 3: 333}), (5, (), {})],
)
def test_a_shared_journey_is_split_between_children_to_the_penny(amount, children, shares):
    assert split_between(amount, children) == shares
    assert sum(shares.values()) in (amount, 0)


def test_a_shared_return_journey_is_priced_once_and_split():
    (priced,) = price_journeys([Journey(D, 75, True, 0, (7, 8, 9))], HMRC, CAR)
    assert priced.amount_pence == 675 and priced.shares == {7: 225, 8: 225, 9: 225}
    assert priced.note == "15.0 mi at 45p"


def test_the_2026_27_car_rate_is_55p_from_6_april_2026_and_45p_the_day_before():
    before, on = Journey(date(2026, 4, 5), 200), Journey(date(2026, 4, 6), 200)
    assert amounts([before, on]) == [900, 1100]
    assert amounts([Journey(date(2026, 4, 6), 200)], vehicle=MOTORCYCLE) == [480]  # motorcycles unchanged: 24p
    assert amounts([Journey(date(2026, 4, 6), 200)], vehicle=BICYCLE) == [400]  # bicycles unchanged: 20p


def test_in_2026_27_a_journey_crossing_10000_miles_is_split_between_55p_and_25p():
    (priced,) = price_journeys([Journey(date(2026, 9, 1), 200)], HMRC, CAR, {date(2026, 4, 6): 99_900})
    assert [(s.tenths, s.pence_per_mile) for s in priced.segments] == [(100, 55), (100, 25)]
    assert priced.amount_pence == 10 * 55 + 10 * 25 and priced.note == "10.0 mi at 55p, 10.0 mi at 25p"
