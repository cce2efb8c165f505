"""Where pay runs meet claims: approved claims waiting to be paid, and marking them paid by a pay run.

Claims are paid through a claims payment batch made for the pay run, so a claim is in one batch only, whichever way it
is paid, and its page says when it was paid. Each step is a conditional UPDATE in the caller's transaction (no
commit here): a claim already put in another batch is never paid twice.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, insert, literal, select, update

from portal.claims.models import Claim, ClaimEvent, ClaimStatus, PaymentBatch
from portal.claims.queries import approved_unpaid
from portal.core.clock import LONDON
from portal.core.db import db, utcnow
from portal.payments.terms import ClaimDue


def claims_waiting(up_to: date, household_ids: set[int] | None = None) -> list[ClaimDue]:
    """Approved claims not yet in a batch, decided on or before `up_to` (read-only)."""
    stmt = approved_unpaid(up_to)
    if household_ids is not None:
        stmt = stmt.where(Claim.household_id.in_(household_ids))
    return [ClaimDue(c.id, c.household_id, c.number, c.kind_label, c.approved_pence or 0,
                     (c.decided_at or datetime.now(timezone.utc)).astimezone(LONDON).date())
            for c in db.session.scalars(stmt)]


def batch_claims_for_pay_run(actor_id: int, claim_ids: list[int], run_number: str) -> int | None:
    """Put the claims a run pays into a new claims batch; returns its id, or None when a claim was taken meanwhile."""
    if not claim_ids:
        return None
    batch = PaymentBatch(created_by_id=actor_id)
    db.session.add(batch)
    db.session.flush()
    joined = db.session.execute(
        update(Claim).where(Claim.id.in_(claim_ids), Claim.status == ClaimStatus.APPROVED, Claim.batch_id.is_(None))
        .values(status=ClaimStatus.BATCHED, batch_id=batch.id, version=Claim.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    if joined != len(claim_ids):
        return None
    total = db.session.scalar(select(func.coalesce(func.sum(Claim.approved_pence), 0)).where(Claim.batch_id == batch.id))
    batch.total_pence, batch.claim_count = int(total), len(claim_ids)
    _events(batch.id, actor_id, "batched", f"To be paid by pay run {run_number}")
    return batch.id


def _events(batch_id: int, actor_id: int, action: str, body: str) -> None:
    db.session.execute(insert(ClaimEvent).from_select(
        ["claim_id", "at", "actor_id", "action", "body"],
        select(Claim.id, literal(utcnow(), ClaimEvent.at.type), literal(actor_id), literal(action), literal(body))
        .where(Claim.batch_id == batch_id)))


def mark_claims_paid_by_pay_run(actor_id: int, batch_id: int, paid_on: date, reference: str) -> None:
    db.session.execute(
        update(PaymentBatch).where(PaymentBatch.id == batch_id, PaymentBatch.status == "open")
        .values(status="paid", paid_on=paid_on, payment_reference=reference, paid_by_id=actor_id, paid_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.execute(
        update(Claim).where(Claim.batch_id == batch_id, Claim.status == ClaimStatus.BATCHED)
        .values(status=ClaimStatus.PAID, paid_on=paid_on, payment_reference=reference, version=Claim.version + 1)
        .execution_options(synchronize_session=False))
    _events(batch_id, actor_id, "paid", f"Paid on {paid_on:%d/%m/%Y}, reference {reference}")
