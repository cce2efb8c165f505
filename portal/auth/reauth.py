"""Recent re-authentication ("confirm it is you"): changing or turning off security codes, new recovery codes, a new
password, a new email address and removing a passkey all need it within the last 10 minutes, so that a session left
open on a shared computer cannot quietly take the account over.

What counts (`ways`): the password and a current code for someone with security codes; the password alone for
someone with no second factor; a passkey that verifies the person (PIN, fingerprint or face) for anyone who has one,
counting as both factors. The password is not enough for someone whose only second factor is a passkey, nor in a
session that signed in with a passkey. Every failure goes through the second-factor throttle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.auth import passkeys, second_factor
from portal.auth.models import User, UserSession
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.security import verify_password
from portal.core.unit_of_work import transactional

WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Ways:
    """How this person, in this session, may confirm it is them."""

    passkey: bool  # one of their passkeys
    password: bool  # their password (with a code if `code`)
    code: bool  # the password must come with a current security code


@dataclass
class ReauthResult:
    ok: bool
    wrong: str | None = None  # "password", "code", or "passkey" (a passkey is needed, or the one used failed)
    wait_seconds: int = 0
    problem: str | None = None  # why a passkey was not accepted, in words for the person


def ways(user: User, rec: UserSession | None) -> Ways:
    signed_in_with_passkey = rec is not None and rec.signed_in_with == "passkey"
    password = not user.has_passkey or (user.mfa_enabled and not signed_in_with_passkey)
    return Ways(passkey=user.has_passkey, password=password, code=user.mfa_enabled)


def is_recent(rec: UserSession | None) -> bool:
    return rec is not None and rec.reauthenticated_at is not None and utcnow() - rec.reauthenticated_at <= WINDOW


def mark(rec: UserSession) -> None:
    """Record that this session has just proved everything the person has (the caller commits)."""
    rec.reauthenticated_at = utcnow()


def password_step_counts(rec: UserSession) -> bool:
    """A code entered within the window after the password step of this very session completes a re-authentication."""
    return utcnow() - rec.created_at <= WINDOW


def _done(user: User, rec: UserSession, method: str) -> ReauthResult:
    mark(rec)
    audit.record(db.session, "reauthenticated", actor_id=user.id, method=method)
    return ReauthResult(ok=True)


@transactional
def reauthenticate(user: User, rec: UserSession, password: str, code: str | None) -> ReauthResult:
    """Check the password and (for someone with security codes) a code, under the second-factor throttle.

    wrong="passkey" without checking anything when the password is not a way for this person (see `ways`).
    """
    allowed = ways(user, rec)
    if not allowed.password:
        return ReauthResult(ok=False, wrong="passkey")
    wait = second_factor.wait_before_trying(user, rec, purpose="reauth", kind="password")
    if wait:
        return ReauthResult(ok=False, wait_seconds=wait)
    if not verify_password(user.password_hash, password):
        second_factor.failed(user, rec, purpose="reauth", kind="password")
        return ReauthResult(ok=False, wrong="password")
    if allowed.code:
        checked = second_factor.check(user, rec, code or "", purpose="reauth")
        if not checked.ok:
            return ReauthResult(ok=False, wrong="code", wait_seconds=checked.wait_seconds)
    return _done(user, rec, "password")


@transactional
def reauthenticate_with_passkey(
    user: User, rec: UserSession, rp: passkeys.RelyingParty, challenge_id: object, credential_json: str
) -> ReauthResult:
    """One of the person's passkeys, verifying them, answering a "reauth" challenge: password and code in one."""
    checked = second_factor.check_passkey(user, rec, rp, "reauth", challenge_id, credential_json, purpose="reauth")
    if not checked.ok:
        return ReauthResult(ok=False, wrong="passkey", wait_seconds=checked.wait_seconds, problem=checked.problem)
    return _done(user, rec, "passkey")
