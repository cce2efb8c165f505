"""Invitations: the only way in. Single-use, expiring links whose tokens are stored only as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select, update

from portal.auth.models import Invitation, User, UserRole
from portal.auth.roles import Role
from portal.auth.services import find_user_by_email
from portal.auth.sessions import start_session
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.security import hash_password, new_token, token_hash
from portal.core.unit_of_work import transactional


class LinkState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"


class AlreadyHasAccount(ValueError):
    """The email address already belongs to an account: invite nobody twice."""


@dataclass
class Accepted:
    user: User
    session_id: str


def pending_invitations_for(email: str) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation).where(
                Invitation.email == email.strip().lower(),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
        )
    )


def issue_invitation(
    actor_id: int | None, email: str, full_name: str, roles: list[Role], days: int
) -> tuple[Invitation, str]:
    """Add an invitation to the caller's transaction (revoking earlier pending ones to the same address)."""
    email = email.strip().lower()
    if find_user_by_email(email) is not None:
        raise AlreadyHasAccount(email)
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = new_token()
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        roles=",".join(sorted(Role(r).value for r in roles)),
        token_hash=token_hash(token),
        invited_by_id=actor_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def invitation_state(invitation: Invitation | None) -> LinkState:
    if invitation is None:
        return LinkState.UNKNOWN
    if invitation.accepted_at is not None:
        return LinkState.USED
    if invitation.revoked_at is not None:
        return LinkState.REVOKED
    if invitation.expires_at <= utcnow():
        return LinkState.EXPIRED
    return LinkState.VALID


def find_invitation(token: str) -> tuple[Invitation | None, LinkState]:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    state = invitation_state(invitation)
    if state is LinkState.VALID and find_user_by_email(invitation.email) is not None:
        state = LinkState.USED  # someone accepted another invitation to this address first
    return invitation, state


@transactional
def accept_invitation(token: str, password: str) -> Accepted | None:
    """Create the account with the invited roles and start its first session; None if the link is not usable."""
    invitation, state = find_invitation(token)
    if state is not LinkState.VALID:
        return None
    now = utcnow()
    # Claim the link in the same statement that checks it, so two tabs cannot both create an account.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=now)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return None
    user = User(
        email=invitation.email,
        full_name=invitation.full_name,
        password_hash=hash_password(password),
        is_active=True,
        password_changed_at=now,
        last_signed_in_at=now,
    )
    user.role_rows = [UserRole(role=r.value) for r in invitation.role_list]
    db.session.add(user)
    db.session.flush()
    invitation.user_id = user.id
    rec = start_session(db.session, user, mfa_verified=not user.mfa_required)
    audit.record(
        db.session,
        "invitation_accepted",
        actor_id=user.id,
        object_type="invitation",
        object_id=invitation.id,
        roles=invitation.roles,
    )
    audit.record(db.session, "sign_in", actor_id=user.id, mfa_pending=user.mfa_required or None)
    return Accepted(user=user, session_id=rec.id)
