"""A whole pay run worked out a slice of households at a time, so its cost and memory follow the slice, not the service.

Every line of a run belongs to one household and is worked out from that household's placements, terms and ledger
(an extra goes to the household caring for the child on the night it is paid), so the lines of a slice of households
are exactly the whole run's lines for them. Slices are ranges of household ids taken in order, and the engine sorts
lines by household first, so the slices one after another give the whole run's lines in the whole run's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from hashlib import sha256

from sqlalchemy import func, select

from portal.core.db import db
from portal.payments.engine import RateMissing, compute_run
from portal.payments.inputs import all_rates, build_input, run_holds
from portal.payments.models import PayRun
from portal.payments.terms import Line, RunResult
from portal.people.models import Household

SLICE_HOUSEHOLDS = 1_000  # ~1,600 children's lines at a time: a few MB, and few enough round trips


def household_slices(size: int | None = None) -> list[tuple[int, int]]:
    """Inclusive (lowest, highest) household id ranges of `size` (default SLICE_HOUSEHOLDS) households each, in id
    order.

    One query returns only the first id of each slice (a window function), so the list is as long as the number
    of slices, whatever the number of households."""
    size = size or SLICE_HOUSEHOLDS
    numbered = select(Household.id, func.row_number().over(order_by=Household.id).label("n")).subquery()
    starts = list(
        db.session.scalars(select(numbered.c.id).where((numbered.c.n - 1) % size == 0).order_by(numbered.c.id))
    )
    if not starts:
        return []
    last = db.session.scalar(select(func.max(Household.id)))
    return [(lo, nxt - 1) for lo, nxt in zip(starts, starts[1:])] + [(starts[-1], last)]


def run_slices(
    period_start: date, period_end: date, *, run: PayRun | None = None, size: int | None = None
) -> Iterator[RunResult]:
    """The run's lines, one RunResult per slice of households, in household order.

    Raises RateMissing after the last slice when a rate is missing or ambiguous, with every slice's problems (so
    business support see them all at once, as for a run worked out whole); a caller storing slices rolls back."""
    rates = [r.as_rate() for r in all_rates()]
    holds = run_holds(run) if run is not None else {}
    problems: list[str] = []
    for household_range in household_slices(size):
        inp = build_input(period_start, period_end, run=run, household_range=household_range, rates=rates, holds=holds)
        try:
            result = compute_run(inp)
        except RateMissing as exc:
            problems += exc.problems
            continue
        # An extra for a child who was in another slice's household on the night is that slice's line.
        lo, hi = household_range
        result.lines = [ln for ln in result.lines if lo <= ln.household_id <= hi]
        yield result
    if problems:
        raise RateMissing(problems)


def whole_run(period_start: date, period_end: date, *, run: PayRun | None = None) -> RunResult:
    """Every line of the run in one RunResult (for the preview page and tests). Raises RateMissing."""
    lines: list[Line] = []
    for part in run_slices(period_start, period_end, run=run):
        lines += part.lines
    return RunResult(period_start, period_end, lines)


class Fingerprint:
    """What business support saw: a digest of every line's key, amount and hold, fed a slice at a time.

    The same digest as hashing the lines joined by "|" in one go, so a preview made whole and a confirm made in
    slices agree."""

    def __init__(self) -> None:
        self._digest = sha256()
        self._first = True

    def add(self, lines: Iterable[Line]) -> None:
        for ln in lines:
            if not self._first:
                self._digest.update(b"|")
            self._first = False
            self._digest.update(f"{ln.key}:{ln.amount_pence}:{int(ln.is_held)}".encode())

    def hexdigest(self) -> str:
        return self._digest.hexdigest()[:32]
