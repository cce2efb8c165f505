"""Checking a person's second factor (an authenticator code or a one-time recovery code) under the throttle.

Every check goes through `check`: wrong codes are counted per account and per session, audited one by one, and
after repeated failures the person is told by email, since someone may already know their password.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.auth import mfa, recovery
from portal.auth.models import User, UserSession
from portal.core import audit
from portal.core.db import db
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.throttle import SecondFactorThrottle
from portal.core.unit_of_work import transactional

TOTP = "totp"
RECOVERY = "recovery_code"


@dataclass
class CodeCheck:
    ok: bool
    wait_seconds: int = 0  # > 0: not checked at all, too many recent failures


def throttle() -> SecondFactorThrottle:
    return current_app.extensions["hearth_mfa_throttle"]


@transactional
def check(user: User, rec: UserSession | None, code: str, *, purpose: str, kind: str = TOTP) -> CodeCheck:
    """Check `code` for `user`. On success the caller records what it proves and commits; failures are committed.

    purpose: what the code is for ("sign_in", "reauth"...), kept in the audit trail.
    """
    limiter = throttle()
    session_id = rec.id if rec is not None else None
    wait = limiter.seconds_to_wait(user.id, session_id)
    if wait:
        audit.record(db.session, "mfa_throttled", actor_id=user.id, purpose=purpose, kind=kind)
        return CodeCheck(ok=False, wait_seconds=wait)
    ok = mfa.check_code(user, code) if kind == TOTP else recovery.use_code(user, code)
    if ok:
        limiter.succeeded(user.id, session_id)
        return CodeCheck(ok=True)
    failed(user, rec, purpose=purpose, kind=kind)
    return CodeCheck(ok=False)


@transactional
def failed(user: User, rec: UserSession | None, *, purpose: str, kind: str = TOTP) -> int:
    """Count, audit and commit one failure; email the person at every FREE_PER_ACCOUNT-th. Returns the count."""
    limiter = throttle()
    count = limiter.failed(user.id, rec.id if rec is not None else None)
    audit.record(db.session, "mfa_failed", actor_id=user.id, purpose=purpose, kind=kind)
    if count % limiter.FREE_PER_ACCOUNT == 0:
        send_email(
            user.email,
            "Wrong security codes were entered for your account",
            "security_code_failures",
            name=user.full_name,
            count=count,
            phone=current_app.config["OUT_OF_HOURS_PHONE"],
            forgotten_link=url_to("auth.forgotten_password"),
        )
    return count
