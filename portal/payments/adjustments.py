"""Adjustments business support add to a draft pay run: add, approve (a second person, above a set amount), remove.

Removing takes an adjustment out of the run for good; holding its line (runs.hold_line) only stops it being paid
in this run, and it comes back in the next run's preview, as any held line does.
"""

from __future__ import annotations

from flask import current_app

from portal.auth.models import User
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.money import format_pounds
from portal.core.unit_of_work import transactional
from portal.payments.inputs import adjustments_due
from portal.payments.models import PayAdjustment, PayRun
from portal.payments.runs import RunRefused, _check_staff, _draft
from portal.people.models import Household


def approval_limit_pence() -> int:
    """Adjustments of more than this (either way) need a second person; 0 switches the check off."""
    return int(current_app.config.get("PAY_ADJUSTMENT_SECOND_APPROVAL_PENCE", 0))


def run_adjustments(run: PayRun) -> list[PayAdjustment]:
    """Every adjustment in the run: added to it, or held in an earlier run and not paid since. Oldest first; a run
    has a handful, so the list is not paginated."""
    return list(db.session.scalars(adjustments_due(run, None)))


@transactional
def add_adjustment(actor: User, run: PayRun, *, household_id: int, amount_pence: int, reason: str) -> PayAdjustment:
    """Add an adjustment (negative: an overpayment recovered). Raises RunRefused naming the field at fault.

    Above approval_limit_pence() it waits for a colleague's approval and is not paid until then."""
    _check_staff(actor)
    _draft(run)
    reason = (reason or "").strip()
    if db.session.get(Household, household_id) is None:
        raise RunRefused("Choose the household", field="household_id")
    if not amount_pence:
        raise RunRefused("Enter an amount other than £0.00", field="amount")
    if not reason:
        raise RunRefused("Enter the reason: the carer sees it on their payment", field="reason")
    limit = approval_limit_pence()
    adj = PayAdjustment(
        run_id=run.id,
        household_id=household_id,
        amount_pence=amount_pence,
        reason=reason[:1000],
        created_by_id=actor.id,
        needs_approval=bool(limit) and abs(amount_pence) > limit,
    )
    db.session.add(adj)
    db.session.flush()
    audit.record(
        db.session,
        "pay_adjustment_added",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        household_id=household_id,
        amount_pence=amount_pence,
        reason=reason,
        needs_approval=adj.needs_approval,
    )
    return adj


def _own(run: PayRun, adjustment_id: int) -> PayAdjustment:
    adj = db.session.scalar(adjustments_due(run, None).where(PayAdjustment.id == adjustment_id))
    if adj is None:
        raise RunRefused("That adjustment has already been removed from this run")
    return adj


@transactional
def approve_adjustment(actor: User, run: PayRun, adjustment_id: int) -> PayAdjustment:
    """The second person's approval; the person who added it cannot give it."""
    _check_staff(actor)
    _draft(run)
    adj = _own(run, adjustment_id)
    if not adj.is_waiting:
        raise RunRefused("That adjustment does not need approving")
    if adj.created_by_id == actor.id:
        raise RunRefused(f"You added this adjustment of {format_pounds(adj.amount_pence)}: a colleague must approve it")
    adj.approved_by_id, adj.approved_at = actor.id, utcnow()
    audit.record(
        db.session,
        "pay_adjustment_approved",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        adjustment_id=adj.id,
        amount_pence=adj.amount_pence,
    )
    return adj


@transactional
def remove_adjustment(actor: User, run: PayRun, adjustment_id: int) -> None:
    """Take an adjustment out of a draft run for good (to pay it later, hold its line instead)."""
    _check_staff(actor)
    _draft(run)
    adj = _own(run, adjustment_id)
    audit.record(
        db.session,
        "pay_adjustment_removed",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        adjustment_id=adj.id,
        household_id=adj.household_id,
        amount_pence=adj.amount_pence,
        reason=adj.reason,
    )
    db.session.delete(adj)
