"""Loading what the engine needs from the database: settings, rates, placements, terms, claims and the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import String, cast, literal, select, true

from portal.core.db import db
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
from portal.payments.terms import Assignment, Child, ManualAdjustment, Rate, Segment, Settings
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
    them). Lists of ids are never bound one parameter each: slices filter on the range and join subqueries.
    """
    s = current_settings()
    look_back = max(s.first_period_start, period_start - timedelta(days=s.lookback_days))
    # Plain rows straight from the connection (after writing out anything pending): the ORM's row handling cost
    # more than the queries themselves.
    db.session.flush()
    conn = db.session.connection()

    def scoped(column):
        if household_range is not None:
            return column.between(*household_range)
        if household_ids is not None:
            return column.in_(household_ids)
        return true()

    in_window = (Placement.start_date <= period_end) & (
        (Placement.end_date.is_(None)) | (Placement.end_date > look_back)
    )
    placed = select(Placement.child_id).where(in_window, scoped(Placement.household_id))
    columns = (
        Placement.child_id,
        Placement.household_id,
        Placement.start_date,
        Placement.end_date,
        Placement.placement_type,
    )
    order = (Placement.household_id, Placement.child_id, Placement.start_date, Placement.id)
    stays: dict[int, list[PlacementIn]] | None = None
    if household_range is None:
        placements = conn.execute(select(*columns).where(in_window, scoped(Placement.household_id)).order_by(*order))
        placements = [_placement(p) for p in placements]
    else:
        # The slice's children's placements everywhere: the slice's own, and where each child's extras go.
        everywhere = [
            _placement(p)
            for p in conn.execute(select(*columns).where(in_window, Placement.child_id.in_(placed)).order_by(*order))
        ]
        placements = [p for p in everywhere if household_range[0] <= p.household_id <= household_range[1]]
        stays = {}
        for p in everywhere:
            stays.setdefault(p.child_id, []).append(p)
    wanted = ChildRow.id.in_(placed)
    if household_range is not None:
        # The whole run names a child on an adjustment line whenever the child has nights anywhere in the window; a
        # slice must too, when the ledger of one of its households names a child now placed in another slice.
        wanted |= ChildRow.id.in_(
            select(PaidSegment.child_id).where(PaidSegment.end_date > look_back, scoped(PaidSegment.household_id))
        ) & ChildRow.id.in_(select(Placement.child_id).where(in_window))
    children = {
        cid: Child(cid, preferred or first, born)
        for cid, first, preferred, born in conn.execute(
            select(ChildRow.id, ChildRow.first_name, ChildRow.preferred_name, ChildRow.date_of_birth).where(wanted)
        )
    }
    terms = select(
        PaymentTerm.kind,
        PaymentTerm.household_id,
        PaymentTerm.child_id,
        PaymentTerm.code,
        PaymentTerm.effective_from,
        PaymentTerm.effective_to,
    ).where(PaymentTerm.effective_from <= period_end)
    if household_ids is not None or household_range is not None:
        terms = terms.where(scoped(PaymentTerm.household_id) | PaymentTerm.child_id.in_(placed))
    segs = select(
        PaidSegment.household_id,
        PaidSegment.child_id,
        PaidSegment.kind,
        PaidSegment.code,
        PaidSegment.start_date,
        PaidSegment.end_date,
        PaidSegment.weekly_pence,
        PaidSegment.sign,
    ).where(PaidSegment.end_date > look_back, scoped(PaidSegment.household_id))
    extras = (
        select(PayLine.key)
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(
            PayLine.kind == "extra", PayLine.is_held.is_(False), PayRun.status != "draft", PayLine.due_date >= look_back
        )
    )
    if household_ids is not None or household_range is not None:
        extras = extras.where(PayLine.child_id.in_(select(ChildRow.id).where(wanted)))
    inp = RunInput(
        period_start=period_start,
        period_end=period_end,
        settings=s,
        rates=[r.as_rate() for r in all_rates()] if rates is None else rates,
        children=children,
        placements=[p for p in placements if p.child_id in children],
        stays=stays,
        assignments=[Assignment(*row) for row in conn.execute(terms)],
        paid_segments=[Segment(*row) for row in conn.execute(segs)],
        paid_extras=set(conn.scalars(extras)),
    )
    if include_claims:
        inp.claims = claims_bridge.claims_waiting(period_end, household_ids, household_range)
    if run is not None:
        inp.holds = run_holds(run) if holds is None else holds
        inp.manual = [
            ManualAdjustment(a.id, a.household_id, a.amount_pence, a.reason, a.child_id)
            for a in db.session.scalars(adjustments_due(run, household_ids, household_range))
            if not a.is_waiting
        ]
    return inp


def _placement(row) -> PlacementIn:
    return PlacementIn(row.child_id, row.household_id, row.start_date, row.end_date, row.placement_type == STAYING_PUT)


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
