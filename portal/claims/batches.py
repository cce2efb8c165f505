"""Payment batches: approved claims sent to finance together, exported as CSV, then marked paid.

A claim joins a batch through one conditional UPDATE (status 'approved' and no batch yet), so two batches made at
the same moment can never share a claim; a paid batch is never changed again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, literal, select, update

from portal.auth.models import User
from portal.claims.models import Claim, ClaimEvent, ClaimStatus, PaymentBatch
from portal.claims.policy import is_claims_staff
from portal.claims.queries import start_of
from portal.core import audit
from portal.core.chunks import chunked
from portal.core.clock import LONDON, today
from portal.core.csv_export import to_csv
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import CLAIMS_PAID
from portal.core.notify import notify_in_app
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.people.models import Household
from portal.people.queries import own_household_ids


class BatchRefused(ValueError):
    """A rule said no; the message is for the person."""


@transactional
def create_batch(actor: User, *, claim_ids: list[int] | None = None, up_to: date | None = None) -> PaymentBatch:
    """A batch of the chosen approved claims, or of every approved claim decided up to `up_to`."""
    if not is_claims_staff(actor):
        raise BatchRefused("Only business support can make payment batches")
    if not claim_ids and up_to is None:
        raise BatchRefused("Select the claims to pay, or choose all approved claims")
    batch = PaymentBatch(created_by_id=actor.id)
    db.session.add(batch)
    db.session.flush()
    conditions = []
    own = own_household_ids(actor)
    if own:
        conditions.append(Claim.household_id.not_in(own))  # nobody pays their own household
    if up_to is not None:
        conditions.append(Claim.decided_at < start_of(date.fromordinal(up_to.toordinal() + 1)))
    count, total = _join(batch, conditions, claim_ids or None)
    if not count:
        db.session.rollback()
        raise BatchRefused("There are no approved claims to pay: they may have been put in another batch just now")
    _events_for_batch(batch.id, actor.id, "batched", f"Payment batch {batch.number}")
    audit.record(
        db.session,
        "payment_batch_created",
        actor_id=actor.id,
        object_type="payment_batch",
        object_id=batch.id,
        claims=count,
        total_pence=int(total),
        skipped=(len(claim_ids) - count) if claim_ids else None,
    )
    return batch


def _join(batch: PaymentBatch, conditions: list, claim_ids: list[int] | None = None) -> tuple[int, int]:
    """Move approved, unbatched claims matching `conditions` (and among `claim_ids`, when given) into the batch:
    (count, total pence).

    Conditional UPDATEs (approved and in no batch yet), so two batches made at the same moment can never share a
    claim. Chosen ids go a slice at a time (portal.core.chunks): a pay run can pay more claims than PostgreSQL
    takes parameters in one statement."""
    join = (
        update(Claim)
        .where(Claim.status == ClaimStatus.APPROVED, Claim.batch_id.is_(None), *conditions)
        .values(status=ClaimStatus.BATCHED, batch_id=batch.id, version=Claim.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claim_ids is None:
        db.session.execute(join)
    else:
        for chunk in chunked(claim_ids):
            db.session.execute(join.where(Claim.id.in_(chunk)))
    total, count = db.session.execute(
        select(func.coalesce(func.sum(Claim.approved_pence), 0), func.count(Claim.id)).where(Claim.batch_id == batch.id)
    ).one()
    batch.total_pence, batch.claim_count = int(total), int(count)
    return int(count), int(total)


def _events_for_batch(batch_id: int, actor_id: int, action: str, body: str) -> None:
    # One statement for the whole batch: a 2,000-claim batch is one round trip, not 2,000.
    db.session.execute(
        insert(ClaimEvent).from_select(
            ["claim_id", "at", "actor_id", "action", "body"],
            select(
                Claim.id, literal(utcnow(), ClaimEvent.at.type), literal(actor_id), literal(action), literal(body)
            ).where(Claim.batch_id == batch_id),
        )
    )


def _pay(batch_id: int, actor_id: int, paid_on: date, reference: str) -> bool:
    """Mark an open batch and its claims paid; False when the batch was already paid (it never changes again)."""
    done = db.session.execute(
        update(PaymentBatch)
        .where(PaymentBatch.id == batch_id, PaymentBatch.status == "open")
        .values(status="paid", paid_on=paid_on, payment_reference=reference, paid_by_id=actor_id, paid_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        return False
    db.session.execute(
        update(Claim)
        .where(Claim.batch_id == batch_id, Claim.status == ClaimStatus.BATCHED)
        .values(status=ClaimStatus.PAID, paid_on=paid_on, payment_reference=reference, version=Claim.version + 1)
        .execution_options(synchronize_session=False)
    )
    _events_for_batch(batch_id, actor_id, "paid", f"Paid on {uk_date(paid_on)}, reference {reference}")
    return True


def batch_claims_for_pay_run(actor_id: int, claim_ids: list[int], run_number: str) -> int | None:
    """Claims a pay run pays go into a claims batch of their own, in the caller's transaction (no commit).

    Returns the batch id, or None when one of the claims was put in another batch meanwhile."""
    if not claim_ids:
        return None
    batch = PaymentBatch(created_by_id=actor_id)
    db.session.add(batch)
    db.session.flush()
    count, _total = _join(batch, [], claim_ids)
    if count != len(claim_ids):
        return None
    _events_for_batch(batch.id, actor_id, "batched", f"To be paid by pay run {run_number}")
    return batch.id


def mark_claims_paid_by_pay_run(actor_id: int, batch_id: int, paid_on: date, reference: str) -> None:
    """In the caller's transaction: the pay run that carries this batch has been paid."""
    _pay(batch_id, actor_id, paid_on, reference)


@transactional
def record_export(actor: User, batch: PaymentBatch) -> str:
    """The finance CSV (columns in README "Finance export (CSV)"); the export itself is an audit event."""
    text = batch_csv(batch)
    if batch.exported_at is None and not batch.is_paid:
        batch.exported_at = utcnow()
    audit.record(
        db.session, "payment_batch_exported", actor_id=actor.id, object_type="payment_batch", object_id=batch.id
    )
    return text


@transactional
def mark_batch_paid(actor: User, batch: PaymentBatch, *, paid_on: date, reference: str) -> None:
    if not is_claims_staff(actor):
        raise BatchRefused("Only business support can mark batches paid")
    if paid_on > today():
        raise BatchRefused("The payment date must be today or in the past")
    reference = reference.strip()
    if not reference:
        raise BatchRefused("Enter the payment reference from the finance system")
    if not _pay(batch.id, actor.id, paid_on, reference):
        db.session.rollback()
        raise BatchRefused("This batch has already been marked paid; a paid batch cannot change")
    claimants = db.session.execute(
        select(Claim.claimant_id, func.count(Claim.id), func.sum(Claim.approved_pence))
        .where(Claim.batch_id == batch.id)
        .group_by(Claim.claimant_id)
    ).all()

    for claimant_id, count, total in claimants:
        notify_in_app(
            claimant_id,
            f"{count} claim{'s' if count != 1 else ''} paid: {format_pounds(int(total or 0))}, reference {reference}",
            path_to("claims.list_claims"),
            kind=CLAIMS_PAID.name,
            target=f"payment-batch:{batch.id}",
            key=f"payment-batch:{batch.id}:paid",
        )
    audit.record(
        db.session,
        "payment_batch_paid",
        actor_id=actor.id,
        object_type="payment_batch",
        object_id=batch.id,
        paid_on=paid_on.isoformat(),
        reference=reference,
        claims=batch.claim_count,
    )
    db.session.refresh(batch)


CSV_COLUMNS = [
    "record_type",
    "batch_number",
    "payee_id",
    "payee_name",
    "household_reference",
    "household_name",
    "claim_number",
    "claim_kind",
    "submitted_on",
    "approved_on",
    "claims",
    "amount",
    "payment_date",
    "payment_reference",
]


def batch_csv(batch: PaymentBatch) -> str:
    """One PAYEE row per carer paid (their total and number of claims), each followed by its CLAIM rows."""
    # Plain columns, not objects: a 2,000-claim batch is one query and no per-row loading.
    rows = db.session.execute(
        select(
            Claim.id,
            Claim.claimant_id,
            Claim.kind,
            Claim.submitted_at,
            Claim.decided_at,
            Claim.approved_pence,
            User.full_name,
            Household.reference,
            Household.name,
        )
        .join(User, User.id == Claim.claimant_id)
        .join(Household, Household.id == Claim.household_id)
        .where(Claim.batch_id == batch.id)
        .order_by(Household.reference, Claim.claimant_id, Claim.id)
    ).all()
    by_payee: dict[int, list] = {}
    for row in rows:
        by_payee.setdefault(row.claimant_id, []).append(row)
    paid = (batch.paid_on.isoformat() if batch.paid_on else "", batch.payment_reference or "")
    records = []
    for payee_rows in by_payee.values():
        first = payee_rows[0]
        common = [batch.number, first.claimant_id, first.full_name, first.reference, first.name]
        total = sum(r.approved_pence or 0 for r in payee_rows)
        records.append(["PAYEE", *common, "", "", "", "", len(payee_rows), format_pounds(total, plain=True), *paid])
        for r in payee_rows:
            records.append(
                [
                    "CLAIM",
                    *common,
                    f"CL-{r.id:06d}",
                    r.kind,
                    _day(r.submitted_at),
                    _day(r.decided_at),
                    1,
                    format_pounds(r.approved_pence or 0, plain=True),
                    *paid,
                ]
            )
    return to_csv(CSV_COLUMNS, records)


def _day(value) -> str:
    return value.astimezone(LONDON).date().isoformat() if value else ""


def batch_url(batch: PaymentBatch) -> str:
    return path_to("claims.show_payment_batch", batch_id=batch.id)
