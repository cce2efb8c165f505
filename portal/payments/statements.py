"""What a carer sees ahead and behind: the next payment and an estimate of it, extras coming, and annual statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.payments.defaults import tax_year
from portal.payments.engine import RateMissing, compute_run
from portal.payments.extras import extras_due
from portal.payments.inputs import NotSetUp, build_input, current_settings, last_run
from portal.payments.models import HouseholdPayment, PayLine, PaymentRate, PayRun
from portal.payments.terms import KIND_LABELS, Line, RateBook, age_on, pay_date, period_after
from portal.people.models import Child, Placement


@dataclass
class Outlook:
    period_start: date | None = None
    period_end: date | None = None
    pay_date: date | None = None
    estimate_pence: int | None = None
    estimate_lines: list[Line] = field(default_factory=list)
    extras: list[Line] = field(default_factory=list)
    problem: str | None = None


def outlook(household_id: int) -> Outlook:
    """The next run this household will be in, estimated from today's placements and rates, and extras coming."""
    try:
        s = current_settings()
    except NotSetUp as exc:
        return Outlook(problem=str(exc))
    last = last_run()
    start, end = period_after(s, last.period_end if last and not last.is_draft else None)
    if last and last.is_draft:
        start, end = last.period_start, last.period_end
    out = Outlook(start, end, pay_date(s, end))
    try:
        inp = build_input(start, end, household_ids={household_id})
        result = compute_run(inp)
        out.estimate_lines = [ln for ln in result.lines if ln.household_id == household_id]
        out.estimate_pence = sum(ln.amount_pence for ln in out.estimate_lines)
        ahead = build_input(
            end + timedelta(days=1), end + timedelta(days=1), household_ids={household_id}, include_claims=False
        )
        horizon = end + timedelta(days=1)
        extras = extras_due(ahead, horizon, horizon + timedelta(days=56), RateBook(ahead.rates, s.region))
        out.extras = sorted(
            [ln for ln in (*out.estimate_lines, *extras) if ln.kind == "extra" and ln.household_id == household_id],
            key=lambda ln: ln.due_date or date.max,
        )
    except RateMissing:
        out.problem = (
            "The next payment cannot be estimated yet because the council has not entered all of its "
            "rates for the period. Business support will pay it once they are in."
        )
    return out


def completed_tax_years(household_id: int) -> list[int]:
    """Tax years (by their starting year) that have ended and in which the household was paid."""
    dates = db.session.scalars(
        select(PayRun.paid_on)
        .join(HouseholdPayment, HouseholdPayment.run_id == PayRun.id)
        .where(HouseholdPayment.household_id == household_id, PayRun.paid_on.is_not(None))
        .distinct()
    )
    on = today()
    years = set()
    for d in dates:
        year = d.year if d >= date(d.year, 4, 6) else d.year - 1
        if tax_year(year)[1] < on:
            years.add(year)
    return sorted(years, reverse=True)


@dataclass
class Statement:
    year: int
    start: date
    end: date
    totals: dict[str, int]
    total_pence: int
    payments: list[HouseholdPayment]
    qcr_fixed: int | None
    qcr_weeks: list[tuple[str, int, int, int]]  # child, weeks under 11, weeks 11+, amount
    qcr_total: int | None
    missing_qcr: bool


def statement(household_id: int, year: int) -> Statement:
    start, end = tax_year(year)
    payments = list(
        db.session.scalars(
            select(HouseholdPayment)
            .join(PayRun, PayRun.id == HouseholdPayment.run_id)
            .where(HouseholdPayment.household_id == household_id, PayRun.paid_on >= start, PayRun.paid_on <= end)
            .order_by(PayRun.paid_on)
        )
    )
    totals: dict[str, int] = defaultdict(int)
    if payments:
        for kind, amount in db.session.execute(
            select(PayLine.kind, PayLine.amount_pence).where(
                PayLine.payment_id.in_([p.id for p in payments]), PayLine.is_held.is_(False)
            )
        ):
            totals[KIND_LABELS.get(kind, kind)] += amount
    rates = {
        r.code: r.amount_pence
        for r in db.session.scalars(
            select(PaymentRate).where(
                PaymentRate.kind == "qcr",
                PaymentRate.effective_from <= start,
                (PaymentRate.effective_to.is_(None)) | (PaymentRate.effective_to >= end),
            )
        )
    }
    weeks = _qcr_weeks(household_id, start, end)
    missing = not all(k in rates for k in ("fixed", "under_11", "11_plus"))
    rows = [(name, u, o, u * rates.get("under_11", 0) + o * rates.get("11_plus", 0)) for name, u, o in weeks]
    return Statement(
        year,
        start,
        end,
        dict(totals),
        sum(totals.values()),
        payments,
        None if missing else rates["fixed"],
        rows,
        None if missing else rates["fixed"] + sum(r[3] for r in rows),
        missing,
    )


def _qcr_weeks(household_id: int, start: date, end: date) -> list[tuple[str, int, int]]:
    """Weeks (Monday to Sunday, a part week counts as a week) each child was in care, by age at the week's start."""
    out = []
    rows = db.session.execute(
        select(Child, Placement.start_date, Placement.end_date)
        .join(Placement, Placement.child_id == Child.id)
        .where(
            Placement.household_id == household_id,
            Placement.start_date <= end,
            (Placement.end_date.is_(None)) | (Placement.end_date > start),
        )
    ).all()
    by_child: dict[int, tuple[Child, set[date]]] = {}
    for child, p_start, p_end in rows:
        mondays = by_child.setdefault(child.id, (child, set()))[1]
        night = max(p_start, start)
        last = min(p_end - timedelta(days=1) if p_end else end, end)
        while night <= last:
            mondays.add(night - timedelta(days=night.weekday()))
            night += timedelta(days=7 - night.weekday())
    for child, mondays in sorted(by_child.values(), key=lambda cm: cm[0].first_name):
        under = sum(1 for m in mondays if age_on(child.date_of_birth, max(m, start)) < 11)
        out.append((child.known_as, under, len(mondays) - under))
    return out
