"""Carers' use cases: start a claim, add and remove lines, submit (idempotently), answer a query; admin overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.claims import rates as engine
from portal.claims.line_children import line_children_problem
from portal.claims.models import (
    EXPENSE_CATEGORY_LABELS,
    PURPOSE_LABELS,
    Claim,
    ClaimEvent,
    ClaimKind,
    ClaimLine,
    ClaimLineChild,
    ClaimStatus,
)
from portal.claims.queries import prior_car_tenths, rate_table
from portal.claims.rules import Settings, age_problem, receipt_required
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import CLAIM_QUERIED
from portal.core.notify import resolve_notices
from portal.core.unit_of_work import after_commit, transactional
from portal.core.uploads import StoredFile, discard, receive, start_processing
from portal.people.models import Household


class ClaimRefused(ValueError):
    """A rule said no. `field` names the form field the message belongs to (None: the whole claim)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ClaimConflict(RuntimeError):
    """Someone else changed the claim first; the message says what happened."""


@dataclass
class Upload:
    stream: BinaryIO
    filename: str | None


@dataclass
class LineInput:
    line_date: date
    category: str
    idempotency_key: str
    amount_pence: int | None = None  # expenses and allowances
    note: str = ""
    child_ids: tuple[int, ...] = ()
    from_place: str = ""
    to_place: str = ""
    miles_tenths: int | None = None
    is_return: bool = False
    passengers: int = 0
    receipt: Upload | None = None
    extra: dict = field(default_factory=dict)


def claim_path(claim: Claim) -> str:
    """The claim's page, for links in notifications."""
    return path_to("claims.show_claim", claim_id=claim.id)


def _event(claim: Claim, actor: User | None, action: str, body: str | None = None) -> None:
    db.session.add(ClaimEvent(claim=claim, actor_id=actor.id if actor else None, action=action, body=body))


def _check_line(kind: str, line: LineInput, s: Settings, on: date, household_id: int) -> None:
    if line.line_date > on:
        raise ClaimRefused("The date must be today or in the past", "line_date")
    who = line_children_problem(kind, line.category, line.line_date, line.child_ids, household_id)
    if who:
        raise ClaimRefused(who, "children")
    if kind == ClaimKind.MILEAGE:
        if line.category not in PURPOSE_LABELS:
            raise ClaimRefused("Select what the journey was for", "category")
        if not line.miles_tenths or line.miles_tenths <= 0:
            raise ClaimRefused("Enter the miles, more than 0", "miles")
        return
    allowed = EXPENSE_CATEGORY_LABELS if kind == ClaimKind.EXPENSE else dict(s.allowance_categories)
    if line.category not in allowed:
        raise ClaimRefused("Select a category", "category")
    if line.amount_pence is None or line.amount_pence <= 0:
        raise ClaimRefused("Enter an amount of more than £0", "amount")
    if line.amount_pence > s.expense_line_max_pence:
        raise ClaimRefused(
            f"The amount must be {format_pounds(s.expense_line_max_pence)} or less. For more, speak to business support",
            "amount",
        )
    if kind == ClaimKind.EXPENSE and line.receipt is None and receipt_required(line.category, s):
        raise ClaimRefused("Choose a photo or PDF of the receipt", "receipt")


def _new_line(claim: Claim, line: LineInput, stored: StoredFile | None) -> ClaimLine:
    row = ClaimLine(
        idempotency_key=line.idempotency_key,
        line_date=line.line_date,
        category=line.category,
        note=line.note.strip() or None,
        amount_pence=line.amount_pence or 0,
        from_place=line.from_place.strip() or None,
        to_place=line.to_place.strip() or None,
        miles_tenths=line.miles_tenths,
        is_return=line.is_return,
        passengers=line.passengers,
        receipt=stored,
    )
    row.children = [ClaimLineChild(child_id=cid) for cid in dict.fromkeys(line.child_ids)]
    return row


def reprice(claim: Claim) -> None:
    """Work out every amount again from the rate table and what the carer has already claimed this tax year.
    The server's figure is the one that counts; the page's estimate is only a guide."""
    if claim.kind == ClaimKind.MILEAGE:
        lines = list(claim.lines)
        journeys = [
            engine.Journey(
                ln.line_date, ln.miles_tenths or 0, ln.is_return, ln.passengers, tuple(c.child_id for c in ln.children)
            )
            for ln in lines
        ]
        prior = prior_car_tenths(claim.claimant_id, [ln.line_date for ln in lines], claim.id)
        for ln, priced in zip(lines, engine.price_journeys(journeys, rate_table(), claim.vehicle or engine.CAR, prior)):
            ln.amount_pence = priced.amount_pence
            ln.rate_note = priced.note
            for c in ln.children:
                c.share_pence = priced.shares.get(c.child_id, 0)
    else:
        for ln in claim.lines:
            for c, share in zip(
                ln.children, engine.split_between(ln.amount_pence, tuple(c.child_id for c in ln.children)).values()
            ):
                c.share_pence = share
    claim.total_pence = sum(ln.amount_pence for ln in claim.lines)


def _receive_receipt(actor: User, claim_household_id: int, line: LineInput) -> StoredFile | None:
    if line.receipt is None:
        return None
    return receive(
        actor,
        line.receipt.stream,
        line.receipt.filename,
        purpose="claim_receipt",
        prefix=f"receipts/{claim_household_id}",
    )


@transactional
def start_claim(
    actor: User,
    household: Household,
    *,
    kind: str,
    idempotency_key: str,
    line: LineInput,
    s: Settings,
    vehicle: str | None = None,
) -> tuple[Claim, bool]:
    """A new draft with its first line. A repeated key (a double tap, a retry) returns the first claim."""
    existing = db.session.scalar(select(Claim).where(Claim.idempotency_key == idempotency_key))
    if existing is not None:
        if existing.claimant_id != actor.id:
            raise ClaimRefused("This form was already used. Please start a new claim")
        return existing, False
    if kind == ClaimKind.MILEAGE and vehicle not in engine.VEHICLE_LABELS:
        raise ClaimRefused("Select how you travelled", "vehicle")
    _check_line(kind, line, s, today(), household.id)
    claim = Claim(
        kind=kind,
        household_id=household.id,
        claimant_id=actor.id,
        idempotency_key=idempotency_key,
        vehicle=vehicle if kind == ClaimKind.MILEAGE else None,
    )
    claim.household = household
    stored = _receive_receipt(actor, household.id, line)
    try:
        db.session.add(claim)
        claim.lines.append(_new_line(claim, line, stored))
        db.session.flush()
        reprice(claim)
        _event(claim, actor, "created")
        audit.record(
            db.session,
            "claim_started",
            actor_id=actor.id,
            object_type="claim",
            object_id=claim.id,
            kind=kind,
            household_id=household.id,
        )
    except IntegrityError:
        # Two taps raced with one key: the other won. Hand back its claim and drop our receipt.
        db.session.rollback()
        if stored is not None:
            discard(stored)
        existing = db.session.scalar(select(Claim).where(Claim.idempotency_key == idempotency_key))
        if existing is None:
            raise
        return existing, False
    except engine.NoRate as exc:
        db.session.rollback()
        if stored is not None:
            discard(stored)
        raise ClaimRefused(
            f"{exc}. Business support have been asked to add it; please try again later", "line_date"
        ) from None
    if stored is not None:
        start_processing(stored)
    return claim, True


@transactional
def add_line(actor: User, claim: Claim, line: LineInput, s: Settings) -> tuple[ClaimLine, bool]:
    existing = db.session.scalar(select(ClaimLine).where(ClaimLine.idempotency_key == line.idempotency_key))
    if existing is not None:
        return existing, False
    if claim.claimant_id != actor.id or not claim.is_editable:
        raise ClaimRefused("This claim can no longer be changed")
    _check_line(claim.kind, line, s, today(), claim.household_id)
    stored = _receive_receipt(actor, claim.household_id, line)
    try:
        row = _new_line(claim, line, stored)
        claim.lines.append(row)
        db.session.flush()
        reprice(claim)
    except IntegrityError:
        db.session.rollback()
        if stored is not None:
            discard(stored)
        existing = db.session.scalar(select(ClaimLine).where(ClaimLine.idempotency_key == line.idempotency_key))
        if existing is None:
            raise
        return existing, False
    except engine.NoRate as exc:
        db.session.rollback()
        if stored is not None:
            discard(stored)
        raise ClaimRefused(str(exc), "line_date") from None
    if stored is not None:
        start_processing(stored)
    return row, True


@transactional
def remove_line(actor: User, claim: Claim, line_id: int) -> None:
    if claim.claimant_id != actor.id or not claim.is_editable:
        raise ClaimRefused("This claim can no longer be changed")
    line = next((ln for ln in claim.lines if ln.id == line_id), None)
    if line is None:
        return  # already removed (a second tap)
    if len(claim.lines) == 1:
        raise ClaimRefused(f"A claim needs at least one {claim.line_noun}. To stop, delete the draft instead")
    stored = line.receipt
    claim.lines.remove(line)
    db.session.flush()
    reprice(claim)
    if stored is not None:
        db.session.delete(stored)
        after_commit(lambda: discard(stored))


@transactional
def delete_draft(actor: User, claim: Claim) -> None:
    if claim.claimant_id != actor.id or claim.status != ClaimStatus.DRAFT:
        raise ClaimRefused("Only a draft can be deleted")
    files = [ln.receipt for ln in claim.lines if ln.receipt is not None]
    audit.record(db.session, "claim_draft_deleted", actor_id=actor.id, object_type="claim", object_id=claim.id)
    db.session.delete(claim)
    db.session.flush()
    for f in files:
        db.session.delete(f)
    for f in files:
        discard(f)


def submission_problems(claim: Claim, s: Settings, on: date | None = None) -> list[str]:
    """Why the claim cannot be sent yet; empty when it can."""
    on = on or today()
    problems = []
    if not claim.lines:
        problems.append(f"Add at least one {claim.line_noun}")
    for n, line in enumerate(claim.lines, 1):
        if line.receipt is not None and line.receipt.status == "rejected":
            problems.append(
                f"The receipt for expense {n} could not be kept ({line.receipt.rejection_reason}). "
                "Remove that expense and add it again with another photo"
            )
        who = line_children_problem(
            claim.kind, line.category, line.line_date, [c.child_id for c in line.children], claim.household_id
        )
        if who:
            problems.append(f"{claim.line_noun.capitalize()} {n}: {who}")
        if not claim.override_reason:
            why = age_problem(line.line_date, on, s.max_age_days)
            if why:
                problems.append(f"{claim.line_noun.capitalize()} {n}: {why}. Ask business support to arrange it")
    return problems


@transactional
def submit_claim(actor: User, claim: Claim, s: Settings, *, answer: str | None = None) -> bool:
    """Draft or queried → submitted. Idempotent: sending twice changes nothing the second time (returns False)."""
    if claim.claimant_id != actor.id:
        raise ClaimRefused("Only the carer who made this claim can send it")
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.QUERIED):
        return False
    problems = submission_problems(claim, s)
    if problems:
        raise ClaimRefused(problems[0])
    if claim.status == ClaimStatus.QUERIED and not (answer or "").strip():
        raise ClaimRefused("Answer the question from business support", "answer")
    try:
        reprice(claim)
    except engine.NoRate as exc:
        db.session.rollback()
        raise ClaimRefused(str(exc)) from None
    was = claim.status
    done = db.session.execute(
        update(Claim)
        .where(Claim.id == claim.id, Claim.status == was, Claim.version == claim.version)
        .values(
            status=ClaimStatus.SUBMITTED,
            version=Claim.version + 1,
            total_pence=claim.total_pence,
            submitted_at=claim.submitted_at or utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        db.session.rollback()
        return False  # another tap or tab sent it first
    _event(claim, actor, "resubmitted" if was == ClaimStatus.QUERIED else "submitted", (answer or "").strip() or None)
    audit.record(
        db.session,
        "claim_submitted",
        actor_id=actor.id,
        object_type="claim",
        object_id=claim.id,
        total_pence=claim.total_pence,
        answered_query=was == ClaimStatus.QUERIED or None,
    )
    if was == ClaimStatus.QUERIED:  # answered: the question's notice has done its work
        resolve_notices(f"claim:{claim.id}", kind=CLAIM_QUERIED.name)
    db.session.refresh(claim)
    return True


@transactional
def override_age_rule(actor: User, claim: Claim, reason: str) -> None:
    """An admin allows a late or previous-financial-year claim, with a recorded reason."""
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.QUERIED):
        raise ClaimRefused("Only a claim that has not been sent yet can be allowed")
    if claim.claimant_id == actor.id:
        raise ClaimRefused("You cannot allow your own claim. Ask another admin")
    claim.override_reason = reason.strip()
    claim.override_by_id = actor.id
    _event(claim, actor, "override", reason.strip())
    audit.record(
        db.session,
        "claim_age_override",
        actor_id=actor.id,
        object_type="claim",
        object_id=claim.id,
        reason=reason.strip(),
    )
    from portal.core.notify import notify_in_app

    notify_in_app(
        claim.claimant_id,
        f"Your late claim {claim.number} can now be sent",
        claim_path(claim),
        target=f"claim:{claim.id}",
        key=f"claim:{claim.id}:override",
    )
