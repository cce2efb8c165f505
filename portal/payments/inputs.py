"""Loading what the engine needs from the database: settings, rates, placements, terms, claims and the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, String, cast, literal, or_, select

from portal.core.chunks import chunked
from portal.core.db import db
from portal.mentoring.payroll import contacts_due, months_due
from portal.payments import claims_bridge
from portal.payments.engine import RunInput
from portal.payments.models import (
    PaidSegment,
    PayAdjustment,
    PayLine,
    PaymentRate,
    PaymentSettings,
    PaymentTerm,
    PayRun,
    PayRunHold,
)
from portal.payments.terms import (
    Assignment,
    Child,
    ManualAdjustment,
    MentoringContact,
    MentoringMonth,
    Rate,
    Segment,
    Settings,
)
from portal.payments.terms import Placement as PlacementIn
from portal.people.models import Child as ChildRow
from portal.people.models import Placement

STAYING_PUT = "staying_put"


class NotSetUp(ValueError):
    """Payments have no settings yet."""


def settings_row() -> PaymentSettings | None:
    return db.session.get(PaymentSettings, 1)


def current_settings() -> Settings:
    row = settings_row()
    if row is None:
        raise NotSetUp("Payments are not set up yet: an admin must choose the payment settings and rates first")
    return row.as_settings()


def all_rates() -> list[PaymentRate]:
    return list(
        db.session.scalars(select(PaymentRate).order_by(PaymentRate.kind, PaymentRate.code, PaymentRate.effective_from))
    )


PLACEMENT_COLUMNS = (
    Placement.child_id,
    Placement.household_id,
    Placement.start_date,
    Placement.end_date,
    Placement.placement_type,
)
PLACEMENT_ORDER = (Placement.household_id, Placement.child_id, Placement.start_date, Placement.id)
TERM_COLUMNS = (
    PaymentTerm.kind,
    PaymentTerm.household_id,
    PaymentTerm.child_id,
    PaymentTerm.code,
    PaymentTerm.effective_from,
    PaymentTerm.effective_to,
)
SEGMENT_COLUMNS = (
    PaidSegment.household_id,
    PaidSegment.child_id,
    PaidSegment.kind,
    PaidSegment.code,
    PaidSegment.start_date,
    PaidSegment.end_date,
    PaidSegment.weekly_pence,
    PaidSegment.sign,
)


@dataclass
class _Loaded:
    children: dict[int, Child]
    placements: list[PlacementIn]
    stays: dict[int, list[PlacementIn]] | None
    assignments: list[Assignment]
    paid_segments: list[Segment]
    paid_extras: set[str]


def build_input(
    period_start: date,
    period_end: date,
    *,
    run: PayRun | None = None,
    household_ids: set[int] | None = None,
    household_range: tuple[int, int] | None = None,
    include_claims: bool = True,
    rates: list[Rate] | None = None,
    holds: dict[str, str] | None = None,
) -> RunInput:
    """Everything a run for the period needs.

    `household_ids` narrows it to a few households (a carer's estimate); `household_range` (lowest and highest id,
    inclusive) to one slice of a whole run (portal.payments.slices): a slice's lines are exactly the whole run's
    lines for those households, because every line belongs to one household and is worked out from that household's
    placements, terms and ledger. `rates` and `holds`, when given, are used instead of being read again (slices share
    them).
    """
    s = current_settings()
    look_back = max(s.first_period_start, period_start - timedelta(days=s.lookback_days))
    # Plain rows straight from the connection (after writing out anything pending): the ORM's row handling cost
    # more than the queries themselves.
    db.session.flush()
    conn = db.session.connection()
    window = (Placement.start_date <= period_end) & ((Placement.end_date.is_(None)) | (Placement.end_date > look_back))
    if household_range is None:
        loaded = _load_households(conn, window, look_back, period_end, household_ids)
    else:
        loaded = _load_slice(conn, window, look_back, period_end, household_range)
    inp = RunInput(
        period_start=period_start,
        period_end=period_end,
        settings=s,
        rates=[r.as_rate() for r in all_rates()] if rates is None else rates,
        children=loaded.children,
        placements=[p for p in loaded.placements if p.child_id in loaded.children],
        stays=loaded.stays,
        assignments=loaded.assignments,
        paid_segments=loaded.paid_segments,
        paid_extras=loaded.paid_extras,
    )
    if include_claims:
        inp.claims = claims_bridge.claims_waiting(period_end, household_ids, household_range)
    inp.mentoring = [
        MentoringContact(*row)
        for row in contacts_due(
            period_end, household_ids, household_range, since=s.first_period_start, paid_keys=paid_mentoring_keys()
        )
    ]
    inp.mentoring_months = [
        MentoringMonth(*row)
        for row in months_due(
            period_end, household_ids, household_range, since=s.first_period_start, paid_keys=paid_mentoring_keys()
        )
    ]
    if run is not None:
        inp.holds = run_holds(run) if holds is None else holds
        inp.manual = [
            ManualAdjustment(a.id, a.household_id, a.amount_pence, a.reason, a.child_id)
            for a in db.session.scalars(adjustments_due(run, household_ids, household_range))
            if not a.is_waiting
        ]
    return inp


def _paid_extras(look_back: date):
    """Keys of extras a confirmed run paid (not held) that fell due in the look-back window."""
    return (
        select(PayLine.key)
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(
            PayLine.kind == "extra", PayLine.is_held.is_(False), PayRun.status != "draft", PayLine.due_date >= look_back
        )
    )


def _children(conn, condition) -> dict[int, Child]:
    return {
        cid: Child(cid, preferred or first, born)
        for cid, first, preferred, born in conn.execute(
            select(ChildRow.id, ChildRow.first_name, ChildRow.preferred_name, ChildRow.date_of_birth).where(condition)
        )
    }


def _load_households(conn, window, look_back: date, period_end: date, household_ids: set[int] | None) -> _Loaded:
    """Every household (tests and small services), or a few by id (a carer's estimate)."""
    if household_ids is None:
        placements = conn.execute(select(*PLACEMENT_COLUMNS).where(window).order_by(*PLACEMENT_ORDER))
        placed = select(Placement.child_id).where(window)
        terms = select(*TERM_COLUMNS).where(PaymentTerm.effective_from <= period_end)
        segs = select(*SEGMENT_COLUMNS).where(PaidSegment.end_date > look_back)
        extras = _paid_extras(look_back)
    else:
        ours = Placement.household_id.in_(household_ids)
        placements = conn.execute(select(*PLACEMENT_COLUMNS).where(window, ours).order_by(*PLACEMENT_ORDER))
        placed = select(Placement.child_id).where(window, ours)
        terms = select(*TERM_COLUMNS).where(
            PaymentTerm.effective_from <= period_end,
            PaymentTerm.household_id.in_(household_ids) | PaymentTerm.child_id.in_(placed),
        )
        segs = select(*SEGMENT_COLUMNS).where(
            PaidSegment.end_date > look_back, PaidSegment.household_id.in_(household_ids)
        )
        extras = _paid_extras(look_back).where(PayLine.child_id.in_(placed))
    return _Loaded(
        children=_children(conn, ChildRow.id.in_(placed)),
        placements=[_placement(p) for p in placements],
        stays=None,
        assignments=[Assignment(*row) for row in conn.execute(terms)],
        paid_segments=[Segment(*row) for row in conn.execute(segs)],
        paid_extras=set(conn.scalars(extras)),
    )


def _load_slice(conn, window, look_back: date, period_end: date, household_range: tuple[int, int]) -> _Loaded:
    """One slice of households of a whole run. Every query is led by an index: the households' id range, then
    their children's ids in lists of at most chunks.SIZE (a slice's children are a few thousand; no subquery over
    every placement of the service is run for each slice)."""
    lo, hi = household_range
    placed = sorted(set(conn.scalars(select(Placement.child_id).where(window, Placement.household_id.between(lo, hi)))))
    # The slice's children's placements everywhere: the slice's own, and where each child's extras go.
    rows = []
    for chunk in chunked(placed):
        rows += conn.execute(
            select(*PLACEMENT_COLUMNS, Placement.id).where(window, Placement.child_id.in_(chunk))
        ).all()
    rows.sort(key=lambda r: (r.household_id, r.child_id, r.start_date, r.id))
    everywhere = [_placement(r) for r in rows]
    stays: dict[int, list[PlacementIn]] = {}
    for p in everywhere:
        stays.setdefault(p.child_id, []).append(p)
    segments = [
        Segment(*row)
        for row in conn.execute(
            select(*SEGMENT_COLUMNS).where(PaidSegment.end_date > look_back, PaidSegment.household_id.between(lo, hi))
        )
    ]
    # The whole run names a child on an adjustment line whenever the child has nights anywhere in the window; a
    # slice must too, when the ledger of one of its households names a child now placed in another slice's.
    named = sorted({seg.child_id for seg in segments if seg.child_id is not None} - set(placed))
    elsewhere: set[int] = set()
    for chunk in chunked(named):
        elsewhere |= set(conn.scalars(select(Placement.child_id).where(window, Placement.child_id.in_(chunk))))
    wanted = sorted(set(placed) | elsewhere)
    children: dict[int, Child] = {}
    extras: set[str] = set()
    for chunk in chunked(wanted):
        children |= _children(conn, ChildRow.id.in_(chunk))
        extras |= set(conn.scalars(_paid_extras(look_back).where(PayLine.child_id.in_(chunk))))
    current = PaymentTerm.effective_from <= period_end
    terms = [
        Assignment(*row)
        for row in conn.execute(select(*TERM_COLUMNS).where(current, PaymentTerm.household_id.between(lo, hi)))
    ]
    outside = or_(PaymentTerm.household_id.is_(None), ~PaymentTerm.household_id.between(lo, hi))
    for chunk in chunked(placed):
        terms += [
            Assignment(*row)
            for row in conn.execute(select(*TERM_COLUMNS).where(current, PaymentTerm.child_id.in_(chunk), outside))
        ]
    return _Loaded(
        children=children,
        placements=[p for p in everywhere if lo <= p.household_id <= hi],
        stays=stays,
        assignments=terms,
        paid_segments=segments,
        paid_extras=extras,
    )


def _placement(row) -> PlacementIn:
    return PlacementIn(row.child_id, row.household_id, row.start_date, row.end_date, row.placement_type == STAYING_PUT)


def paid_mentoring_keys() -> Select:
    """The keys of mentoring lines a confirmed run has paid (a held line is not paid: it comes back next run)."""
    return (
        select(PayLine.key)
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(PayLine.kind == "mentoring", PayLine.is_held.is_(False), PayRun.status != "draft")
    )


def run_holds(run: PayRun) -> dict[str, str]:
    """Line key -> why business support held it, for a draft run."""
    return dict(
        db.session.execute(select(PayRunHold.line_key, PayRunHold.reason).where(PayRunHold.run_id == run.id)).all()
    )


def adjustments_due(run: PayRun, household_ids: set[int] | None, household_range: tuple[int, int] | None = None):
    """The run's own adjustments, and those held in an earlier confirmed run and not paid since (a hold defers)."""
    key = literal("manual:") + cast(PayAdjustment.id, String)
    held = select(PayLine.id).where(PayLine.key == key, PayLine.is_held.is_(True))
    paid = select(PayLine.id).where(PayLine.key == key, PayLine.is_held.is_(False))
    stmt = select(PayAdjustment).where(
        (PayAdjustment.run_id == run.id) | (held.exists() & ~paid.exists() & (PayAdjustment.run_id != run.id))
    )
    if household_range is not None:
        stmt = stmt.where(PayAdjustment.household_id.between(*household_range))
    elif household_ids is not None:
        stmt = stmt.where(PayAdjustment.household_id.in_(household_ids))
    return stmt.order_by(PayAdjustment.id)


def last_run() -> PayRun | None:
    return db.session.scalar(select(PayRun).order_by(PayRun.period_start.desc()).limit(1))


def last_confirmed_run() -> PayRun | None:
    return db.session.scalar(
        select(PayRun).where(PayRun.status != "draft").order_by(PayRun.period_start.desc()).limit(1)
    )
