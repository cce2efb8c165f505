"""Checking a person's second factor (an authenticator code, a one-time recovery code or a passkey) under the throttle.

Every check goes through `check` or `check_passkey`: failures are counted per account and per session, audited one by
one, and after repeated failures the person is told by email, since someone may already know their password.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.auth import mfa, passkeys, recovery
from portal.auth.models import Passkey, User, UserSession
from portal.core import audit
from portal.core.db import db
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.throttle import SecondFactorThrottle
from portal.core.unit_of_work import transactional

TOTP = "totp"
RECOVERY = "recovery_code"
PASSKEY = "passkey"


@dataclass
class CodeCheck:
    ok: bool
    wait_seconds: int = 0  # > 0: not checked at all, too many recent failures
    passkey: Passkey | None = None  # the passkey that passed (check_passkey)
    problem: str | None = None  # why a passkey was not accepted, in words for the person


def throttle() -> SecondFactorThrottle:
    return current_app.extensions["hearth_mfa_throttle"]


@transactional
def check(user: User, rec: UserSession | None, code: str, *, purpose: str, kind: str = TOTP) -> CodeCheck:
    """Check `code` for `user`. On success the caller records what it proves and commits; failures are committed.

    purpose: what the code is for ("sign_in", "reauth"...), kept in the audit trail.
    """
    wait = wait_before_trying(user, rec, purpose=purpose, kind=kind)
    if wait:
        return CodeCheck(ok=False, wait_seconds=wait)
    ok = mfa.check_code(user, code) if kind == TOTP else recovery.use_code(user, code)
    if ok:
        throttle().succeeded(user.id, rec.id if rec is not None else None)
        return CodeCheck(ok=True)
    failed(user, rec, purpose=purpose, kind=kind)
    return CodeCheck(ok=False)


@transactional
def check_passkey(
    user: User,
    rec: UserSession | None,
    rp: passkeys.RelyingParty,
    challenge_purpose: str,
    challenge_id: object,
    credential_json: str,
    *,
    purpose: str,
) -> CodeCheck:
    """Check the browser's answer to a passkey challenge issued for `user` (portal.auth.passkeys), under the same
    throttle as codes: a failure counts (and is audited) like a wrong code. On success the caller commits."""
    wait = wait_before_trying(user, rec, purpose=purpose, kind=PASSKEY)
    if wait:
        return CodeCheck(ok=False, wait_seconds=wait)
    try:
        passkey = passkeys.authenticate(rp, challenge_purpose, challenge_id, credential_json, user=user)
    except passkeys.PasskeyError as exc:  # the challenge stays used up
        failed(user, rec, purpose=purpose, kind=PASSKEY)
        return CodeCheck(ok=False, problem=str(exc))
    throttle().succeeded(user.id, rec.id if rec is not None else None)
    return CodeCheck(ok=True, passkey=passkey)


@transactional
def wait_before_trying(user: User, rec: UserSession | None, *, purpose: str, kind: str) -> int:
    """Seconds before another attempt is checked (0: go ahead); a refused attempt is audited and committed."""
    wait = throttle().seconds_to_wait(user.id, rec.id if rec is not None else None)
    if wait:
        audit.record(db.session, "mfa_throttled", actor_id=user.id, purpose=purpose, kind=kind)
    return wait


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
