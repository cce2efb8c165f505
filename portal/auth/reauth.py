"""Recent re-authentication: replacing or turning off the authenticator, new recovery codes and a new password all
need the password and a current code (the password alone for someone without a second factor) within 10 minutes,
so that a session left open on a shared computer cannot quietly take the account over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.auth import second_factor
from portal.auth.models import User, UserSession
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.security import verify_password
from portal.core.unit_of_work import transactional

WINDOW = timedelta(minutes=10)


@dataclass
class ReauthResult:
    ok: bool
    wrong: str | None = None  # "password" or "code"
    wait_seconds: int = 0


def is_recent(rec: UserSession | None) -> bool:
    return rec is not None and rec.reauthenticated_at is not None and utcnow() - rec.reauthenticated_at <= WINDOW


def mark(rec: UserSession) -> None:
    """Record that this session has just proved everything the person has (the caller commits)."""
    rec.reauthenticated_at = utcnow()


def password_step_counts(rec: UserSession) -> bool:
    """A code entered within the window after the password step of this very session completes a re-authentication."""
    return utcnow() - rec.created_at <= WINDOW


@transactional
def reauthenticate(user: User, rec: UserSession, password: str, code: str | None) -> ReauthResult:
    """Check the password and (if the person has a second factor) a code, under the second-factor throttle."""
    limiter = second_factor.throttle()
    wait = limiter.seconds_to_wait(user.id, rec.id)
    if wait:
        audit.record(db.session, "mfa_throttled", actor_id=user.id, purpose="reauth")
        return ReauthResult(ok=False, wait_seconds=wait)
    if not verify_password(user.password_hash, password):
        second_factor.failed(user, rec, purpose="reauth", kind="password")
        return ReauthResult(ok=False, wrong="password")
    if user.has_second_factor:
        checked = second_factor.check(user, rec, code or "", purpose="reauth")
        if not checked.ok:
            return ReauthResult(ok=False, wrong="code", wait_seconds=checked.wait_seconds)
    mark(rec)
    audit.record(db.session, "reauthenticated", actor_id=user.id)
    return ReauthResult(ok=True)
