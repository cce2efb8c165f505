"""Business support's decisions on a claim: approve (all or line by line), second approval, reject, query.

Each decision is a conditional UPDATE on (id, status, version): of two people acting at once exactly one wins, and
the other is told what happened instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update

from portal.auth.models import User
from portal.claims.models import Claim, ClaimStatus
from portal.claims.policy import why_cannot_decide
from portal.claims.rules import Settings
from portal.claims.services import ClaimConflict, ClaimRefused, _event, claim_path
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.money import format_pounds
from portal.core.notice_kinds import CLAIM_DECIDED, CLAIM_QUERIED
from portal.core.notify import notify_in_app
from portal.core.templating import uk_date, uk_datetime
from portal.core.unit_of_work import transactional


def describe(claim: Claim) -> str:
    """What happened to a claim, for the person who lost a race to it."""
    db.session.refresh(claim)
    last = claim.events[-1] if claim.events else None
    who = last.actor.full_name if last and last.actor else "someone"
    when = uk_datetime(last.at) if last else ""
    return (
        f"{who} changed this claim while you were looking at it ({claim.status_label.lower()}, {when}). "
        "Nothing you entered was saved. Check the claim as it is now"
    )


def _claim_transition(actor: User, claim: Claim, version: int, expected: tuple[ClaimStatus, ...], **values) -> None:
    reason = why_cannot_decide(actor, claim)
    if reason:
        raise ClaimRefused(reason)
    done = db.session.execute(
        update(Claim)
        .where(Claim.id == claim.id, Claim.version == version, Claim.status.in_([s.value for s in expected]))
        .values(version=Claim.version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        db.session.rollback()
        raise ClaimConflict(describe(claim))


def _tell_carer(claim: Claim, text: str, *, kind: str = CLAIM_DECIDED.name, event: str) -> None:
    """`event` names this decision of this claim (its action and the version decided), so that a retried request
    never tells the carer twice."""
    notify_in_app(
        claim.claimant_id, text, claim_path(claim), kind=kind, target=claim_target(claim.id), key=f"claim:{event}"
    )


def claim_target(claim_id: int) -> str:
    return f"claim:{claim_id}"


def read_line_choices(claim: Claim, posted: Mapping[str, str]) -> tuple[dict[int, str], dict[int, str]]:
    """What business support chose for each line, from the posted `line-<id>` ("approve"/"reject") and
    `reason-<id>` fields: (rejected line id -> reason, line id -> error for that line).

    Choices and reasons must agree: "Do not approve" needs a reason, and a reason beside "Approve" is refused rather
    than silently dropped (the person may have meant not to pay the line).
    """
    rejected: dict[int, str] = {}
    errors: dict[int, str] = {}
    noun = claim.line_noun
    for n, ln in enumerate(claim.lines, 1):
        choice = (posted.get(f"line-{ln.id}") or "approve").strip()
        reason = (posted.get(f"reason-{ln.id}") or "").strip()
        if choice not in ("approve", "reject"):
            errors[ln.id] = f"Choose Approve or Do not approve for {noun} {n}"
        elif choice == "reject":
            rejected[ln.id] = reason
            if not reason:
                errors[ln.id] = f"Give the reason {noun} {n} is not approved: the carer will read it"
        elif reason:
            errors[ln.id] = (
                f"You gave a reason for {noun} {n} but chose Approve: choose Do not approve, or delete the reason"
            )
    return rejected, errors


@transactional
def approve_claim(actor: User, claim: Claim, *, version: int, rejected_lines: dict[int, str], s: Settings) -> str:
    """Approve the claim, except lines in `rejected_lines` (line id -> reason). Returns the new status."""
    line_ids = {ln.id for ln in claim.lines}
    if set(rejected_lines) - line_ids:
        raise ClaimRefused("A line of this claim has changed. Check the claim again")
    if any(not (r or "").strip() for r in rejected_lines.values()):
        raise ClaimRefused("Give a reason for each line you do not approve", "reasons")
    if rejected_lines and set(rejected_lines) == line_ids:
        raise ClaimRefused("You have not approved any line. To turn the whole claim down, reject it", "reasons")
    approved = sum(ln.amount_pence for ln in claim.lines if ln.id not in rejected_lines)
    needs_second = bool(s.second_approval_pence) and approved > s.second_approval_pence
    new_status = ClaimStatus.SECOND_APPROVAL if needs_second else ClaimStatus.APPROVED
    values = dict(status=new_status, approved_pence=approved)
    if needs_second:
        values.update(first_approved_by_id=actor.id)
    else:
        values.update(decided_at=utcnow(), decided_by_id=actor.id)
    _claim_transition(actor, claim, version, (ClaimStatus.SUBMITTED,), **values)
    for ln in claim.lines:
        ln.decision = "rejected" if ln.id in rejected_lines else "approved"
        ln.decision_reason = (rejected_lines.get(ln.id) or "").strip() or None
    partly = bool(rejected_lines)
    notes = (
        "; ".join(
            f"{ln.category_label} on {uk_date(ln.line_date)}: {rejected_lines[ln.id].strip()}"
            for ln in claim.lines
            if ln.id in rejected_lines
        )
        or None
    )
    action = "first_approved" if needs_second else ("part_approved" if partly else "approved")
    _event(claim, actor, action, notes)
    audit.record(
        db.session,
        f"claim_{action}",
        actor_id=actor.id,
        object_type="claim",
        object_id=claim.id,
        approved_pence=approved,
        rejected_lines=sorted(rejected_lines) or None,
    )
    if not needs_second:
        _tell_carer(
            claim,
            f"Your claim {claim.number} was {'partly ' if partly else ''}approved: {format_pounds(approved)}",
            event=f"{claim.id}:approved",
        )
    db.session.refresh(claim)
    return new_status


@transactional
def confirm_approval(actor: User, claim: Claim, *, version: int) -> None:
    """The second approval, by someone other than the first approver."""
    _claim_transition(
        actor,
        claim,
        version,
        (ClaimStatus.SECOND_APPROVAL,),
        status=ClaimStatus.APPROVED,
        decided_at=utcnow(),
        decided_by_id=actor.id,
    )
    partly = any(ln.decision == "rejected" for ln in claim.lines)
    _event(claim, actor, "part_approved" if partly else "approved", "Second approval given")
    audit.record(
        db.session,
        "claim_second_approval",
        actor_id=actor.id,
        object_type="claim",
        object_id=claim.id,
        approved_pence=claim.approved_pence,
    )
    _tell_carer(
        claim,
        f"Your claim {claim.number} was {'partly ' if partly else ''}approved: {format_pounds(claim.approved_pence)}",
        event=f"{claim.id}:approved",
    )
    db.session.refresh(claim)


@transactional
def reject_claim(actor: User, claim: Claim, *, version: int, reason: str) -> None:
    if not reason.strip():
        raise ClaimRefused("Give the reason the claim is rejected", "reason")
    _claim_transition(
        actor,
        claim,
        version,
        (ClaimStatus.SUBMITTED, ClaimStatus.SECOND_APPROVAL),
        status=ClaimStatus.REJECTED,
        rejection_reason=reason.strip(),
        approved_pence=0,
        decided_at=utcnow(),
        decided_by_id=actor.id,
    )
    for ln in claim.lines:
        ln.decision = "rejected"
    _event(claim, actor, "rejected", reason.strip())
    audit.record(db.session, "claim_rejected", actor_id=actor.id, object_type="claim", object_id=claim.id)
    _tell_carer(claim, f"Your claim {claim.number} was rejected. Open it to read why", event=f"{claim.id}:rejected")
    db.session.refresh(claim)


@transactional
def query_claim(actor: User, claim: Claim, *, version: int, question: str) -> None:
    """Send the claim back to the carer with a question; they answer, amend and resubmit."""
    if not question.strip():
        raise ClaimRefused("Write your question for the carer", "question")
    _claim_transition(
        actor,
        claim,
        version,
        (ClaimStatus.SUBMITTED, ClaimStatus.SECOND_APPROVAL),
        status=ClaimStatus.QUERIED,
        first_approved_by_id=None,
        approved_pence=None,
    )
    for ln in claim.lines:
        ln.decision, ln.decision_reason = None, None
    _event(claim, actor, "queried", question.strip())
    audit.record(db.session, "claim_queried", actor_id=actor.id, object_type="claim", object_id=claim.id)
    _tell_carer(
        claim,
        f"Business support have a question about your claim {claim.number}",
        kind=CLAIM_QUERIED.name,
        event=f"{claim.id}:queried:{version}",
    )
    db.session.refresh(claim)


def reload(claim_id: int) -> Claim | None:
    return db.session.scalar(select(Claim).where(Claim.id == claim_id))
