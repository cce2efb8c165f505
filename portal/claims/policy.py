"""Who may see, change and decide claims and batches; loaders answer 404 for anything a user may not see."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.claims.arrears_models import MileageRateChange
from portal.claims.models import Claim, ClaimStatus, MileageRate, PaymentBatch
from portal.claims.queries import claims_visible_to
from portal.core.db import db
from portal.core.refusals import not_found
from portal.people.queries import own_household_ids

CLAIMS_STAFF = (Role.BUSINESS_SUPPORT, Role.ADMIN)


def is_claims_staff(user: User) -> bool:
    return user.has_role(*CLAIMS_STAFF)


def benefits_own_household(user: User, claim: Claim) -> bool:
    """Segregation of duties: a claim someone made, or one paid to their own household, is not theirs to decide."""
    return claim.claimant_id == user.id or claim.household_id in own_household_ids(user)


def why_cannot_decide(user: User, claim: Claim) -> str | None:
    if not is_claims_staff(user):
        return "Only business support can decide claims"
    if benefits_own_household(user, claim):
        return "You cannot decide a claim you made or one that is paid to your own household. Ask a colleague"
    if claim.status == ClaimStatus.SECOND_APPROVAL and claim.first_approved_by_id == user.id:
        return "You gave the first approval, so a colleague must give the second"
    return None


def can_edit_claim(user: User, claim: Claim) -> bool:
    return claim.claimant_id == user.id and claim.is_editable


def can_override_age_rule(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def load_claim(user: User, claim_id: int) -> Claim:
    claim = db.session.scalar(claims_visible_to(user).where(Claim.id == claim_id))
    if claim is None:
        not_found(user, "claim", claim_id)  # never reveal that another household's claim exists
    return claim


def load_own_claim(user: User, claim_id: int) -> Claim:
    """A carer's own claim, to change it: visible but someone else's (the other carer's) is 403."""
    claim = load_claim(user, claim_id)
    if claim.claimant_id != user.id:
        abort(403)
    return claim


def load_batch(user: User, batch_id: int) -> PaymentBatch:
    batch = (
        db.session.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id)) if is_claims_staff(user) else None
    )
    if batch is None:
        not_found(user, "payment_batch", batch_id)
    return batch


def load_rate(user: User, rate_id: int) -> MileageRate:
    rate = (
        db.session.scalar(select(MileageRate).where(MileageRate.id == rate_id)) if user.has_role(Role.ADMIN) else None
    )
    if rate is None:
        not_found(user, "mileage_rate", rate_id)
    return rate


def load_rate_change(user: User, change_id: int) -> MileageRateChange:
    change = db.session.get(MileageRateChange, change_id) if is_claims_staff(user) else None
    if change is None:
        not_found(user, "mileage_rate_change", change_id)
    return change
