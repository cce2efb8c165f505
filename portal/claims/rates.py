"""The mileage rate engine: pure functions from journeys and an effective-dated rate table to whole pence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

CAR, MOTORCYCLE, BICYCLE, PASSENGER = "car", "motorcycle", "bicycle", "passenger"
VEHICLE_LABELS = {CAR: "Car or van", MOTORCYCLE: "Motorcycle", BICYCLE: "Bicycle"}
RATE_KIND_LABELS = {**VEHICLE_LABELS, PASSENGER: "Passenger (each, per mile)"}


class NoRate(LookupError):
    """No rate covers the date: an admin has to add one before such a journey can be priced."""


@dataclass(frozen=True)
class Rate:
    vehicle: str
    effective_from: date
    effective_to: date | None  # the last day it applies (inclusive); None: until further notice
    pence_per_mile: int
    threshold_miles: int | None = None  # miles in a tax year at pence_per_mile, after which...
    pence_after_threshold: int | None = None  # ...this rate applies

    def applies_on(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Journey:
    on: date
    miles_tenths: int  # one way, in tenths of a mile: 12.4 miles is 124
    is_return: bool = False
    passengers: int = 0
    child_ids: tuple[int, ...] = ()

    @property
    def total_tenths(self) -> int:
        return self.miles_tenths * (2 if self.is_return else 1)


@dataclass(frozen=True)
class Segment:
    tenths: int
    pence_per_mile: int


@dataclass(frozen=True)
class PricedJourney:
    journey: Journey
    segments: tuple[Segment, ...]
    passenger_pence_per_mile: int
    amount_pence: int
    shares: dict[int, int] = field(default_factory=dict)  # child id -> pence; sums to amount_pence

    @property
    def note(self) -> str:
        """How the amount was reached, in words a carer and a finance officer both read: '10.0 mi at 45p, 2.0 mi at 25p'."""
        parts = [f"{miles(s.tenths)} mi at {s.pence_per_mile}p" for s in self.segments if s.tenths]
        if self.journey.passengers and self.passenger_pence_per_mile:
            parts.append(f"{self.journey.passengers} passenger(s) at {self.passenger_pence_per_mile}p a mile")
        return ", ".join(parts)


def miles(tenths: int) -> str:
    return f"{tenths // 10:,}.{tenths % 10}"


def tax_year_start(on: date) -> date:
    """The UK tax year runs 6 April to 5 April; the 10,000-mile count starts again each 6 April."""
    start = date(on.year, 4, 6)
    return start if on >= start else date(on.year - 1, 4, 6)


def financial_year_start(on: date) -> date:
    """Councils' financial year runs 1 April to 31 March."""
    start = date(on.year, 4, 1)
    return start if on >= start else date(on.year - 1, 4, 1)


def rate_on(rates: Iterable[Rate], vehicle: str, on: date) -> Rate:
    found = [r for r in rates if r.vehicle == vehicle and r.applies_on(on)]
    if not found:
        raise NoRate(f"No {RATE_KIND_LABELS.get(vehicle, vehicle).lower()} mileage rate is set for {on.day} {on:%B %Y}")
    return max(found, key=lambda r: r.effective_from)  # an overlap (a correction) goes to the newer row


def split_between(amount: int, child_ids: tuple[int, ...]) -> dict[int, int]:
    """A shared journey's pence split evenly; the odd pennies go to the first children listed, so shares add up."""
    if not child_ids:
        return {}
    base, extra = divmod(amount, len(child_ids))
    return {cid: base + (1 if i < extra else 0) for i, cid in enumerate(child_ids)}


def price_journeys(
    journeys: list[Journey], rates: Iterable[Rate], vehicle: str, prior_tenths: Mapping[date, int] | None = None
) -> list[PricedJourney]:
    """Price journeys in date order, carrying the tax-year mileage count from one to the next.

    prior_tenths: tax-year start -> miles (tenths) the carer has already claimed at the thresholded rate that year.
    Returns one PricedJourney per journey, in the order given.
    """
    rates = list(rates)
    used = dict(prior_tenths or {})
    priced: dict[int, PricedJourney] = {}
    for index, j in sorted(enumerate(journeys), key=lambda pair: (pair[1].on, pair[0])):
        rate = rate_on(rates, vehicle, j.on)
        tenths = j.total_tenths
        if rate.threshold_miles is not None and rate.pence_after_threshold is not None:
            year = tax_year_start(j.on)
            room = max(0, rate.threshold_miles * 10 - used.get(year, 0))
            first = min(tenths, room)
            segments = tuple(
                s
                for s in (Segment(first, rate.pence_per_mile), Segment(tenths - first, rate.pence_after_threshold))
                if s.tenths
            )
            used[year] = used.get(year, 0) + tenths
        else:
            segments = (Segment(tenths, rate.pence_per_mile),)
        passenger_ppm = rate_on(rates, PASSENGER, j.on).pence_per_mile if j.passengers else 0
        tenth_pence = sum(s.tenths * s.pence_per_mile for s in segments) + tenths * passenger_ppm * j.passengers
        amount = (tenth_pence + 5) // 10  # to the nearest penny, halves up, once per journey
        priced[index] = PricedJourney(j, segments, passenger_ppm, amount, split_between(amount, j.child_ids))
    return [priced[i] for i in range(len(journeys))]


HMRC_2026_FROM = date(2026, 4, 6)  # cars and vans: 55p for the first 10,000 miles from the 2026-27 tax year


def hmrc_rates(effective_from: date = date(2011, 4, 6)) -> list[Rate]:
    """HMRC approved mileage allowance payments (source: GOV.UK, 'Travel — mileage and fuel rates and allowances').

    Cars and vans: 45p a mile for the first 10,000 business miles in a tax year and 25p after, from 6 April 2011 to
    5 April 2026; 55p and 25p from 6 April 2026 (announced 21 May 2026, backdated to the start of the tax year).
    Motorcycles 24p, bicycles 20p, passengers 5p, unchanged. Seed data only: the live table is edited by an admin."""
    return [
        Rate(CAR, effective_from, HMRC_2026_FROM - timedelta(days=1), 45, 10_000, 25),
        Rate(CAR, HMRC_2026_FROM, None, 55, 10_000, 25),
        Rate(MOTORCYCLE, effective_from, None, 24),
        Rate(BICYCLE, effective_from, None, 20),
        Rate(PASSENGER, effective_from, None, 5),
    ]
