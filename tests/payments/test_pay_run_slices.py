"""A whole run worked out a slice of households at a time gives the lines of the run worked out whole; no statement
of a run binds more parameters as the service grows (the databases' limits; bench.payruns runs 80,000 children)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from portal.auth.roles import Role
from portal.core import chunks
from portal.core.clock import today
from portal.core.db import db
from portal.payments import runs, slices
from portal.payments.engine import compute_run
from portal.payments.inputs import build_input
from portal.payments.models import HouseholdPayment, PaidSegment, PayLine, PaymentTerm, PayRun
from portal.people.models import Placement
from tests.conftest import _empty_tables
from tests.factories import make_carer_household, make_child, make_user, place
from tests.payments.conftest import set_up_payments


@pytest.fixture
def service(app):
    """Four households; children who moved between them in the look-back window, a short break overlapping a
    placement, a birthday falling due, a fee level and a supplement; and a first run already confirmed."""
    start = set_up_payments()
    homes = [make_carer_household(name=f"Household {n}")[1] for n in range(4)]
    on = today()
    due = start + timedelta(days=20)  # paid in the second run: on the night 12 days before (a week, and 5 days)
    birthday_soon = due.replace(year=due.year - 9)
    kids = [make_child(first_name=name, born=on - timedelta(days=365 * age)) for name, age in (("Amy", 4), ("Ben", 12))]
    kids.append(make_child(first_name="Cara", born=birthday_soon))
    kids.append(make_child(first_name="Dev", born=on - timedelta(days=365 * 16)))
    amy, ben, cara, dev = kids
    place(amy, homes[0], start=start - timedelta(days=200), end=start + timedelta(days=3))
    place(amy, homes[2], start=start + timedelta(days=3))
    place(ben, homes[1], start=start - timedelta(days=100))
    place(ben, homes[3], start=on - timedelta(days=12), end=on - timedelta(days=2), placement_type="short_break")
    place(cara, homes[3], start=start - timedelta(days=50))
    place(cara, homes[0], start=start + timedelta(days=5), end=start + timedelta(days=12), placement_type="short_break")
    place(dev, homes[2], start=start - timedelta(days=10))
    db.session.add_all(
        [
            PaymentTerm(
                kind="fee", household_id=homes[2].id, code="level_2", effective_from=start - timedelta(days=30)
            ),
            PaymentTerm(kind="supplement", child_id=ben.id, code="enhanced", effective_from=start),
        ]
    )
    db.session.commit()
    support = make_user(Role.BUSINESS_SUPPORT, email="support@example.org")
    first = runs.create_pay_run(support)
    runs.confirm_pay_run(support, first, runs.fingerprint(runs.preview(first)))
    # Entered late: Dev arrived a week later than recorded, so part of the first run is taken back.
    db.session.execute(
        update(Placement).where(Placement.child_id == dev.id).values(start_date=start + timedelta(days=7))
    )
    db.session.commit()
    return dict(support=support, homes=homes)


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
def test_a_run_in_slices_of_households_is_the_run_worked_out_whole(service, size):
    run = runs.create_pay_run(service["support"])
    whole = compute_run(build_input(run.period_start, run.period_end, run=run))
    assert {"allowance", "fee", "supplement", "extra"} <= {ln.kind for ln in whole.lines}
    assert any(ln.is_adjustment for ln in whole.lines)
    # Cara's birthday extra goes to the household she is with on the night it is paid: her short break.
    [birthday] = [ln for ln in whole.lines if ln.code == "birthday"]
    assert birthday.household_id == service["homes"][0].id
    sliced = slices.whole_run(run.period_start, run.period_end, run=run) if size == 1000 else None
    parts = [
        ln for part in slices.run_slices(run.period_start, run.period_end, run=run, size=size) for ln in part.lines
    ]
    assert [astuple(ln) for ln in parts] == [astuple(ln) for ln in whole.lines]
    if sliced is not None:
        assert [astuple(ln) for ln in sliced.lines] == [astuple(ln) for ln in whole.lines]


def test_confirming_in_slices_stores_what_the_whole_run_pays(service, monkeypatch):
    monkeypatch.setattr(slices, "SLICE_HOUSEHOLDS", 1)
    run = runs.create_pay_run(service["support"])
    whole = compute_run(build_input(run.period_start, run.period_end, run=run))
    runs.confirm_pay_run(service["support"], run, runs.fingerprint(whole))
    db.session.refresh(run)
    stored = db.session.execute(
        select(PayLine.key, PayLine.amount_pence, PayLine.household_id)
        .where(PayLine.run_id == run.id)
        .order_by(PayLine.id)
    ).all()
    assert [tuple(r) for r in stored] == [(ln.key, ln.amount_pence, ln.household_id) for ln in whole.lines]
    assert run.total_pence == whole.total_pence and run.household_count == len(whole.household_totals())
    payments = dict(
        db.session.execute(
            select(HouseholdPayment.household_id, HouseholdPayment.total_pence).where(HouseholdPayment.run_id == run.id)
        ).all()
    )
    assert payments == whole.household_totals()
    segments = db.session.scalar(
        select(func.count(PaidSegment.id))
        .join(PayLine, PayLine.id == PaidSegment.line_id)
        .where(PayLine.run_id == run.id)
    )
    assert segments == sum(len(ln.segments) for ln in whole.lines if not ln.is_held)


def _largest_statement(households: int, children: int) -> tuple[int, str]:
    """The most bound parameters any one statement took to preview and confirm a run of a service this size, in an
    otherwise empty database."""
    from bench.payrun_data import build

    db.session.remove()
    _empty_tables()
    support = make_user(Role.BUSINESS_SUPPORT, email="support@example.org")
    built = build(households, children, claims_share=0.2, seed=households)
    db.session.commit()
    start, end = built.first_period_start, built.first_period_start + timedelta(days=13)
    run = PayRun(period_start=start, period_end=end, pay_date=end + timedelta(days=5), created_by_id=support.id)
    db.session.add(run)
    db.session.commit()
    largest = [0, ""]

    def seen(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        many = executemany and isinstance(parameters, (list, tuple)) and isinstance(parameters[0], (list, tuple, dict))
        count = max(len(row) for row in parameters) if many else len(parameters or ())
        if count > largest[0]:
            largest[:] = [count, statement[:200]]

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    db.session.refresh(run)
    assert run.status == "confirmed" and run.household_count > built.households * 0.9  # a few have no child placed
    return largest[0], largest[1]


def test_no_statement_of_a_pay_run_takes_more_parameters_for_a_larger_service(app, monkeypatch):
    """PostgreSQL takes at most 65,535 bound parameters in a statement and SQLite 32,766; a list of every child's id
    once went into one, and a run of 80,000 children failed. With lists of ids sent 300 at a time (instead of
    chunks.SIZE, 5,000) both services here are past every batch's size, so a service twice the size must send no
    statement with more parameters than the smaller one did."""
    monkeypatch.setattr(chunks, "SIZE", 300)
    smaller = _largest_statement(1_200, 2_000)
    larger = _largest_statement(2_400, 4_000)
    assert larger[0] <= smaller[0], f"{smaller[0]} parameters at 2,000 children, {larger[0]} at 4,000: {larger[1]}"
    assert larger[0] < 32_766
