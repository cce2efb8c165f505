"""Pay-run use cases for business support: create, preview, hold, adjust, confirm (once), export and mark paid."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update

from portal.auth.models import User
from portal.auth.roles import Role
from portal.claims import batches as claims_batches
from portal.core import audit
from portal.core.chunks import chunked
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import PAYMENT_HELD, PAYMENT_MADE
from portal.core.notify import notify_in_app, send_email
from portal.core.unit_of_work import transactional
from portal.payments.engine import RateMissing, RunResult
from portal.payments.inputs import NotSetUp, current_settings, last_run
from portal.payments.ledger import Mail, Stored, finish_run, household_carers, payment_link_to, store_slice
from portal.payments.models import HouseholdPayment, PayAdjustment, PayRun, PayRunHold
from portal.payments.slices import Fingerprint, run_slices, whole_run
from portal.payments.terms import day_text, pay_date, period_after
from portal.people.models import Household
from portal.people.queries import own_household_ids

PAY_STAFF = (Role.BUSINESS_SUPPORT, Role.ADMIN)

# Each payment email's kind of notice, so a carer's choice of channels is kept.
MAIL_KINDS = {"payment_made": PAYMENT_MADE.name, "payment_line_held": PAYMENT_HELD.name}


class RunRefused(ValueError):
    """A rule said no; the message is for the person. `problems` lists each missing rate, when that was the cause."""

    def __init__(self, message: str, field: str | None = None, problems: list[str] | None = None):
        super().__init__(message)
        self.field = field
        self.problems = problems or []


def _check_staff(actor: User) -> None:
    if not actor.has_role(*PAY_STAFF):
        raise RunRefused("Only business support can run payments")


def household_names(ids: list[int]) -> list[str]:
    """The households' names in id order, read a slice of ids at a time (the list can be long)."""
    names: list[str] = []
    for chunk in chunked(sorted(ids)):
        names += db.session.scalars(select(Household.name).where(Household.id.in_(chunk)).order_by(Household.id))
    return names


def next_period() -> tuple[date, date]:
    last = last_run()
    return period_after(current_settings(), last.period_end if last else None)


def preview(run: PayRun) -> RunResult:
    """The run's lines as they would be paid now (draft), recomputed from today's data. Raises RateMissing."""
    return whole_run(run.period_start, run.period_end, run=run)


def fingerprint(result: RunResult) -> str:
    """A digest of every line's key, amount and hold: confirm pays only what was previewed."""
    digest = Fingerprint()
    digest.add(result.lines)
    return digest.hexdigest()


@transactional
def create_pay_run(actor: User) -> PayRun:
    _check_staff(actor)
    try:
        last = last_run()
        if last is not None and last.is_draft:
            raise RunRefused(f"Pay run {last.number} is still a draft: confirm or discard it first")
        start, end = next_period()
    except NotSetUp as exc:
        raise RunRefused(str(exc)) from None
    if end >= today():
        raise RunRefused(
            f"The next period, {day_text(start)} to {day_text(end)}, has not ended yet: payments are "
            f"made in arrears, so it can be run from {day_text(end.fromordinal(end.toordinal() + 1))}"
        )
    try:
        for _ in run_slices(start, end):
            pass  # only the rates are checked here; the lines are worked out again for the preview
    except RateMissing as exc:
        raise RunRefused("This run cannot be made because rates are missing", problems=exc.problems) from None
    run = PayRun(period_start=start, period_end=end, pay_date=pay_date(current_settings(), end), created_by_id=actor.id)
    db.session.add(run)
    db.session.flush()
    audit.record(
        db.session,
        "pay_run_created",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        period_start=start.isoformat(),
        period_end=end.isoformat(),
    )
    return run


def _draft(run: PayRun) -> None:
    if not run.is_draft:
        raise RunRefused(f"Pay run {run.number} is confirmed and cannot change: make corrections in a later run")


@transactional
def hold_line(actor: User, run: PayRun, line_key: str, reason: str) -> None:
    _check_staff(actor)
    _draft(run)
    reason = (reason or "").strip()
    if not reason:
        raise RunRefused("Enter why the line is held: the carer will see it", field="reason")
    if line_key not in {ln.key for ln in preview(run).lines}:
        raise RunRefused("That line is no longer in the run: check the preview again")
    if db.session.scalar(select(PayRunHold.id).where(PayRunHold.run_id == run.id, PayRunHold.line_key == line_key)):
        raise RunRefused("That line is already held")
    db.session.add(PayRunHold(run_id=run.id, line_key=line_key, reason=reason[:1000], held_by_id=actor.id))
    audit.record(
        db.session,
        "pay_line_held",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        line=line_key,
        reason=reason,
    )


@transactional
def release_hold(actor: User, run: PayRun, hold_id: int) -> None:
    _check_staff(actor)
    _draft(run)
    hold = db.session.scalar(select(PayRunHold).where(PayRunHold.id == hold_id, PayRunHold.run_id == run.id))
    if hold is None:
        raise RunRefused("That hold has already been released")
    db.session.delete(hold)
    audit.record(
        db.session, "pay_line_released", actor_id=actor.id, object_type="pay_run", object_id=run.id, line=hold.line_key
    )


@transactional
def discard_pay_run(actor: User, run: PayRun) -> None:
    _check_staff(actor)
    _draft(run)
    gone = db.session.execute(
        delete(PayRun).where(PayRun.id == run.id, PayRun.status == "draft").execution_options(synchronize_session=False)
    ).rowcount
    if not gone:
        db.session.rollback()
        raise RunRefused("The run was confirmed meanwhile and cannot be discarded")
    audit.record(db.session, "pay_run_discarded", actor_id=actor.id, object_type="pay_run", object_id=run.id)


@transactional
def confirm_pay_run(actor: User, run: PayRun, seen: str) -> PayRun:
    """Confirm exactly what was previewed, once. The conditional UPDATE is the lock: a second confirm gets nothing."""
    _check_staff(actor)
    waiting = db.session.scalar(
        select(PayAdjustment.id)
        .where(
            PayAdjustment.run_id == run.id,
            PayAdjustment.needs_approval.is_(True),
            PayAdjustment.approved_by_id.is_(None),
        )
        .limit(1)
    )
    if waiting is not None:
        raise RunRefused(
            "An adjustment is waiting for a second person's approval: a colleague must approve it, "
            "or remove it, before the run is confirmed"
        )
    won = db.session.execute(
        update(PayRun)
        .where(PayRun.id == run.id, PayRun.status == "draft")
        .values(status="confirmed", confirmed_by_id=actor.id, confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        db.session.rollback()
        raise RunRefused("This run has already been confirmed: it cannot be paid twice")
    # Worked out and stored a slice of households at a time, so memory follows the slice, not the service; every
    # check is made on the whole run before the transaction commits, and a refusal rolls all of it back.
    own = own_household_ids(actor)
    digest, stored = Fingerprint(), Stored()
    paying_own, negative, claim_ids = False, [], []
    try:
        for part in run_slices(run.period_start, run.period_end, run=run):
            digest.add(part.lines)
            totals = part.household_totals()
            paying_own = paying_own or any(total and hid in own for hid, total in totals.items())
            negative += [hid for hid, total in totals.items() if total < 0]
            claim_ids += [ln.claim_id for ln in part.lines if ln.claim_id and not ln.is_held]
            store_slice(run.id, part, stored)
    except RateMissing as exc:
        db.session.rollback()
        raise RunRefused("This run cannot be confirmed because rates are missing", problems=exc.problems) from None
    if digest.hexdigest() != seen:
        db.session.rollback()
        raise RunRefused(
            "Something changed since you looked at the preview (a placement, a claim or a hold). "
            "Check the lines again, then confirm"
        )
    if paying_own:
        # Segregation of duties, as for claims: nobody confirms a payment to their own household.
        db.session.rollback()
        raise RunRefused("This run pays your own household, so a colleague must confirm it")
    if negative:
        db.session.rollback()
        names = ", ".join(household_names(negative))
        raise RunRefused(
            f"The payment to {names} would be below £0.00: hold the recovery line or agree a "
            "repayment with the household before confirming"
        )
    batch_id = claims_batches.batch_claims_for_pay_run(actor.id, claim_ids, run.number)
    if claim_ids and batch_id is None:
        db.session.rollback()
        raise RunRefused("A claim in this run was put in a payment batch meanwhile: check the preview again")
    mails = finish_run(run, stored, batch_id)
    audit.record(
        db.session,
        "pay_run_confirmed",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        total_pence=run.total_pence,
        households=run.household_count,
        held_pence=run.held_pence,
    )
    for m in mails:
        send_email(m.to, m.subject, m.template, kind=MAIL_KINDS.get(m.template), **m.context)
    db.session.refresh(run)
    return run


@transactional
def record_export(actor: User, run: PayRun) -> None:
    _check_staff(actor)
    if run.is_draft:
        raise RunRefused("Confirm the run before exporting it for finance")
    if run.exported_at is None:
        run.exported_at = utcnow()
    audit.record(db.session, "pay_run_exported", actor_id=actor.id, object_type="pay_run", object_id=run.id)


@transactional
def mark_pay_run_paid(actor: User, run: PayRun, *, paid_on: date, reference: str) -> None:
    _check_staff(actor)
    reference = (reference or "").strip()
    if run.is_draft:
        raise RunRefused("Confirm the run before marking it paid")
    if paid_on > today():
        raise RunRefused("The payment date must be today or in the past", field="paid_on")
    if paid_on < run.period_end:
        raise RunRefused("The payment date must be after the end of the pay period", field="paid_on")
    if not reference:
        raise RunRefused("Enter the payment reference from the finance system", field="reference")
    done = db.session.execute(
        update(PayRun)
        .where(PayRun.id == run.id, PayRun.status == "confirmed")
        .values(status="paid", paid_on=paid_on, payment_reference=reference[:60], paid_by_id=actor.id, paid_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        db.session.rollback()
        raise RunRefused("This run has already been marked paid")
    if run.claims_batch_id:
        claims_batches.mark_claims_paid_by_pay_run(actor.id, run.claims_batch_id, paid_on, reference)
    paid = (HouseholdPayment.run_id == run.id, HouseholdPayment.total_pence != 0)
    payments = db.session.execute(
        select(HouseholdPayment.id, HouseholdPayment.household_id, HouseholdPayment.total_pence)
        .where(*paid)
        .order_by(HouseholdPayment.id)
    ).all()
    carers = household_carers(select(HouseholdPayment.household_id).where(*paid)) if payments else {}
    mails = []
    for pay in payments:
        for carer in carers.get(pay.household_id, []):
            notify_in_app(
                carer.id,
                f"Payment made: {format_pounds(pay.total_pence)} on {day_text(paid_on)}",
                path_to("payments.show_payment", payment_id=pay.id),
                kind=PAYMENT_MADE.name,
                target=f"payment:{pay.id}",
                key=f"payment-made:{pay.id}",
            )
            mails.append(
                Mail(
                    carer.email,
                    "Your fostering payment has been made",
                    "payment_made",
                    dict(
                        name=carer.full_name,
                        amount=format_pounds(pay.total_pence),
                        paid_on=day_text(paid_on),
                        period=f"{day_text(run.period_start)} to {day_text(run.period_end)}",
                        reference=reference,
                        link=payment_link_to(pay.id),
                    ),
                )
            )
    audit.record(
        db.session,
        "pay_run_paid",
        actor_id=actor.id,
        object_type="pay_run",
        object_id=run.id,
        paid_on=paid_on.isoformat(),
        reference=reference,
    )
    for m in mails:
        send_email(m.to, m.subject, m.template, kind=MAIL_KINDS.get(m.template), **m.context)
    db.session.refresh(run)
