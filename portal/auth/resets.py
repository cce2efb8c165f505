"""Password reset by email: never reveals whether an account exists; links are single-use and expire quickly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update

from portal.auth.invitations import LinkState
from portal.auth.models import PasswordReset, RememberedDevice, User
from portal.auth.services import find_user_by_email
from portal.auth.sessions import revoke_sessions, start_session
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.security import hash_password, new_token, token_hash
from portal.core.unit_of_work import transactional

# Enough for a person who mistypes or loses an email, too few to flood someone's inbox.
MAX_RESETS_PER_HOUR = 3


@dataclass
class ResetDone:
    user: User
    session_id: str
    needs_mfa: bool


@transactional
def request_password_reset(email: str, *, minutes: int) -> None:
    """Email a reset link if the address belongs to an active account; do nothing visible otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        audit.record(db.session, "password_reset_requested", actor_id=None, known=False)
        return
    now = utcnow()
    recent = db.session.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.created_at > now - timedelta(hours=1))
    )
    if recent >= MAX_RESETS_PER_HOUR:
        audit.record(db.session, "password_reset_refused", actor_id=user.id, reason="too_many")
        return
    token = new_token()
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=now + timedelta(minutes=minutes)
        )
    )
    audit.record(db.session, "password_reset_requested", actor_id=user.id, object_type="user", object_id=user.id)
    send_email(
        user.email,
        "Reset your password",
        "password_reset",
        name=user.full_name,
        minutes=minutes,
        link=url_to("auth.reset_password", token=token),
        forgotten_link=url_to("auth.forgotten_password"),
    )


def find_reset(token: str) -> tuple[PasswordReset | None, LinkState]:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None:
        return None, LinkState.UNKNOWN
    user = db.session.get(User, reset.user_id)
    if reset.used_at is not None:
        return reset, LinkState.USED
    if user is None or not user.is_active:
        return reset, LinkState.REVOKED
    if reset.expires_at <= utcnow():
        return reset, LinkState.EXPIRED
    return reset, LinkState.VALID


def user_of(reset: PasswordReset) -> User:
    return db.session.get(User, reset.user_id)


@transactional
def reset_password(token: str, password: str) -> ResetDone | None:
    """Set the new password, end every session and start a fresh one; None if the link is not usable."""
    reset, state = find_reset(token)
    if state is not LinkState.VALID:
        return None
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return None
    # Any other link sent to this person is now pointless, and may be in a mailbox someone else can read.
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    user = db.session.get(User, reset.user_id)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    revoke_sessions(db.session, user.id, "password_reset")
    db.session.execute(
        update(RememberedDevice)
        .where(RememberedDevice.user_id == user.id, RememberedDevice.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    needs_mfa = user.mfa_required or user.has_second_factor  # a reset link proves the mailbox, not the phone
    rec = start_session(db.session, user, mfa_verified=not needs_mfa)
    user.last_signed_in_at = now
    audit.record(db.session, "password_reset", actor_id=user.id, object_type="user", object_id=user.id)
    audit.record(db.session, "sign_in", actor_id=user.id, mfa_pending=needs_mfa or None, via="password_reset")
    send_email(
        user.email,
        "Your password has been changed",
        "password_changed",
        name=user.full_name,
        forgotten_link=url_to("auth.forgotten_password"),
    )
    return ResetDone(user=user, session_id=rec.id, needs_mfa=needs_mfa)
