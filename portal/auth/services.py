"""Sign-in, second factor, remembered devices and sign-out. Callers pass everything in; nothing reads the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from portal.auth import mfa
from portal.auth.models import RememberedDevice, User, UserSession
from portal.auth.sessions import revoke_sessions, start_session
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.security import new_token, token_hash, verify_password
from portal.core.throttle import SignInThrottle
from portal.core.unit_of_work import transactional


@dataclass
class SignInResult:
    user: User | None = None
    session: UserSession | None = None
    wait_seconds: int = 0
    needs_mfa: bool = False


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def device_is_remembered(user: User, device_token: str | None) -> bool:
    if not device_token:
        return False
    device = db.session.scalar(select(RememberedDevice).where(RememberedDevice.token_hash == token_hash(device_token)))
    return (
        device is not None and device.user_id == user.id and device.revoked_at is None and device.expires_at > utcnow()
    )


@transactional
def sign_in(
    throttle: SignInThrottle, email: str, password: str, *, address: str | None, device_token: str | None = None
) -> SignInResult:
    """Check a password under the throttle; on success start a session (MFA pending where it applies)."""
    email = email.strip().lower()
    wait = throttle.seconds_to_wait(email, address)
    user = find_user_by_email(email)
    if wait:
        audit.record(db.session, "sign_in_throttled", actor_id=user.id if user else None, ip_address=address)
        return SignInResult(wait_seconds=wait)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.failed(email, address)
        audit.record(
            db.session,
            "sign_in_failed",
            actor_id=user.id if user else None,
            ip_address=address,
            reason="disabled" if (ok and user and not user.is_active) else "bad_credentials",
        )
        return SignInResult()
    throttle.succeeded(email)
    # Staff always give a second factor; carers who chose MFA skip it on a device they asked us to remember.
    needs_mfa = user.mfa_required or (user.mfa_enabled and not device_is_remembered(user, device_token))
    rec = start_session(db.session, user, mfa_verified=not needs_mfa)
    user.last_signed_in_at = utcnow()
    audit.record(db.session, "sign_in", actor_id=user.id, ip_address=address, mfa_pending=needs_mfa or None)
    return SignInResult(user=user, session=rec, needs_mfa=needs_mfa)


@transactional
def verify_second_factor(user: User, rec: UserSession, code: str) -> bool:
    if not mfa.check_code(user, code):
        audit.record(db.session, "mfa_failed", actor_id=user.id)
        return False
    rec.mfa_verified_at = utcnow()
    audit.record(db.session, "mfa_verified", actor_id=user.id)
    return True


@transactional
def remember_device(user: User, days: int) -> str:
    token = new_token()
    db.session.add(
        RememberedDevice(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + timedelta(days=days))
    )
    audit.record(db.session, "mfa_device_remembered", actor_id=user.id)
    return token


@transactional
def sign_out(user: User, rec: UserSession | None) -> None:
    if rec is not None:
        rec.revoked_at = utcnow()
        rec.revoked_reason = "signed_out"
    audit.record(db.session, "sign_out", actor_id=user.id)


@transactional
def sign_out_everywhere(user: User, reason: str) -> None:
    revoke_sessions(db.session, user.id, reason)


@transactional
def enable_mfa(actor: User, rec: UserSession, secret: str, code: str) -> bool:
    """Confirm enrolment with a first code from the person's app; the current session counts as verified."""
    step = mfa.matching_step(secret, code)
    if step is None:
        return False
    actor.totp_secret = secret
    actor.totp_last_step = step
    actor.mfa_enabled_at = utcnow()
    rec.mfa_verified_at = utcnow()
    audit.record(db.session, "mfa_enabled", actor_id=actor.id, object_type="user", object_id=actor.id)
    return True
