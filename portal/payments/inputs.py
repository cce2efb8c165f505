"""Loading what the engine needs from the database: settings, rates, placements, terms, claims and the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import String, cast, literal, select

from portal.core.db import db
from portal.mentoring.payroll import contacts_due
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
from portal.payments.terms import Child, ManualAdjustment, MentoringContact, Settings
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
    include_claims: bool = True,
) -> RunInput:
    """Everything a run for the period needs; `household_ids` narrows it to some households (a carer's estimate)."""
    s = current_settings()
    look_back = max(s.first_period_start, period_start - timedelta(days=s.lookback_days))
    pstmt = select(Placement).where(
        Placement.start_date <= period_end, (Placement.end_date.is_(None)) | (Placement.end_date > look_back)
    )
    if household_ids is not None:
        pstmt = pstmt.where(Placement.household_id.in_(household_ids))
    placements = list(
        db.session.execute(
            pstmt.with_only_columns(
                Placement.child_id,
                Placement.household_id,
                Placement.start_date,
                Placement.end_date,
                Placement.placement_type,
            )
        )
    )
    child_ids = {p.child_id for p in placements}
    children = {}
    for cid, first, preferred, born in (
        db.session.execute(
            select(ChildRow.id, ChildRow.first_name, ChildRow.preferred_name, ChildRow.date_of_birth).where(
                ChildRow.id.in_(child_ids)
            )
        )
        if child_ids
        else ()
    ):
        children[cid] = Child(cid, preferred or first, born)
    tstmt = select(PaymentTerm).where(PaymentTerm.effective_from <= period_end)
    if household_ids is not None:
        tstmt = tstmt.where((PaymentTerm.household_id.in_(household_ids)) | (PaymentTerm.child_id.in_(child_ids)))
    segs = select(PaidSegment).where(PaidSegment.end_date > look_back)
    extras = (
        select(PayLine.key)
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(
            PayLine.kind == "extra", PayLine.is_held.is_(False), PayRun.status != "draft", PayLine.due_date >= look_back
        )
    )
    if household_ids is not None:
        segs = segs.where(PaidSegment.household_id.in_(household_ids))
        extras = extras.where(PayLine.child_id.in_(child_ids))
    inp = RunInput(
        period_start=period_start,
        period_end=period_end,
        settings=s,
        rates=[r.as_rate() for r in all_rates()],
        children=children,
        placements=[
            PlacementIn(p.child_id, p.household_id, p.start_date, p.end_date, p.placement_type == STAYING_PUT)
            for p in placements
            if p.child_id in children
        ],
        assignments=[t.as_assignment() for t in db.session.scalars(tstmt)],
        paid_segments=[row.as_segment() for row in db.session.scalars(segs)],
        paid_extras=set(db.session.scalars(extras)),
    )
    if include_claims:
        inp.claims = claims_bridge.claims_waiting(period_end, household_ids)
    inp.paid_mentoring = paid_mentoring_ids()
    inp.mentoring = [
        MentoringContact(*row)
        for row in contacts_due(period_end, household_ids, inp.paid_mentoring, since=s.first_period_start)
    ]
    if run is not None:
        inp.holds = {
            h.line_key: h.reason for h in db.session.scalars(select(PayRunHold).where(PayRunHold.run_id == run.id))
        }
        inp.manual = [
            ManualAdjustment(a.id, a.household_id, a.amount_pence, a.reason, a.child_id)
            for a in db.session.scalars(adjustments_due(run, household_ids))
            if not a.is_waiting
        ]
    return inp


def adjustments_due(run: PayRun, household_ids: set[int] | None):
    """The run's own adjustments, and those held in an earlier confirmed run and not paid since (a hold defers)."""
    key = literal("manual:") + cast(PayAdjustment.id, String)
    held = select(PayLine.id).where(PayLine.key == key, PayLine.is_held.is_(True))
    paid = select(PayLine.id).where(PayLine.key == key, PayLine.is_held.is_(False))
    stmt = select(PayAdjustment).where(
        (PayAdjustment.run_id == run.id) | (held.exists() & ~paid.exists() & (PayAdjustment.run_id != run.id))
    )
    if household_ids is not None:
        stmt = stmt.where(PayAdjustment.household_id.in_(household_ids))
    return stmt.order_by(PayAdjustment.id)


def paid_mentoring_ids() -> set[int]:
    """Mentoring contacts a confirmed run has paid (a held line is not paid: it comes back in the next run)."""
    keys = db.session.scalars(
        select(PayLine.key)
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(PayLine.kind == "mentoring", PayLine.is_held.is_(False), PayRun.status != "draft")
    )
    return {int(k.split(":", 1)[1]) for k in keys if k.startswith("mentoring:")}


def last_run() -> PayRun | None:
    return db.session.scalar(select(PayRun).order_by(PayRun.period_start.desc()).limit(1))


def last_confirmed_run() -> PayRun | None:
    return db.session.scalar(
        select(PayRun).where(PayRun.status != "draft").order_by(PayRun.period_start.desc()).limit(1)
    )
