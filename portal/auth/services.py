"""Sign-in, second factor, remembered devices and sign-out. Callers pass everything in; nothing reads the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.auth import mfa, passkeys, reauth, recovery, second_factor
from portal.auth.models import RememberedDevice, User, UserSession
from portal.auth.sessions import revoke_sessions, start_session
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
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
    throttle: SignInThrottle,
    email: str,
    password: str,
    *,
    address: str | None,
    device_token: str | None = None,
    known_device: str | None = None,
) -> SignInResult:
    """Check a password under the throttle; on success start a session (MFA pending where it applies).

    device_token: a remembered-device token (skips the code for someone who chose that); known_device: the id from
    a valid device cookie for this email (portal.auth.device_cookie), counted apart from unknown devices.
    """
    email = email.strip().lower()
    wait = throttle.seconds_to_wait(email, address, known_device)
    user = find_user_by_email(email)
    if wait:
        audit.record(db.session, "sign_in_throttled", actor_id=user.id if user else None, ip_address=address)
        return SignInResult(wait_seconds=wait)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.failed(email, address, known_device)
        audit.record(
            db.session,
            "sign_in_failed",
            actor_id=user.id if user else None,
            ip_address=address,
            reason="disabled" if (ok and user and not user.is_active) else "bad_credentials",
        )
        return SignInResult()
    throttle.succeeded(email, known_device)
    # Staff always give a second factor; others who have one skip it on a device they asked us to remember.
    needs_mfa = user.mfa_required or (user.has_second_factor and not device_is_remembered(user, device_token))
    rec = start_session(db.session, user, mfa_verified=not needs_mfa)
    if not needs_mfa and not user.has_second_factor:
        reauth.mark(rec)  # the password is all this person has, and they have just given it
    user.last_signed_in_at = utcnow()
    audit.record(db.session, "sign_in", actor_id=user.id, ip_address=address, mfa_pending=needs_mfa or None)
    return SignInResult(user=user, session=rec, needs_mfa=needs_mfa)


@transactional
def verify_second_factor(
    user: User, rec: UserSession, code: str, *, kind: str = second_factor.TOTP
) -> second_factor.CodeCheck:
    """The code step of sign-in (an authenticator code, or with kind=RECOVERY a one-time recovery code)."""
    checked = second_factor.check(user, rec, code, purpose="sign_in", kind=kind)
    if not checked.ok:
        return checked
    rec.mfa_verified_at = utcnow()
    if reauth.password_step_counts(rec):
        reauth.mark(rec)
    audit.record(db.session, "mfa_verified", actor_id=user.id, kind=kind)
    if kind == second_factor.RECOVERY:
        send_email(
            user.email,
            "A recovery code was used to sign in",
            "recovery_code_used",
            name=user.full_name,
            left=recovery.codes_left(user),
            phone=current_app.config["OUT_OF_HOURS_PHONE"],
            account_link=url_to("account.show_account"),
        )
    return checked


def sign_in_with_passkey(
    rp: passkeys.RelyingParty, challenge_id: object, credential_json: str, *, address: str | None
) -> SignInResult:
    """A passkey alone signs in: it is something the person holds, verified by their PIN, fingerprint or face, so the
    session counts as having passed the second factor. Raises PasskeyError (audited) if it is not accepted."""
    return _raise_refusal(_passkey_sign_in(rp, challenge_id, credential_json, address=address))


def _raise_refusal(outcome):
    # A refused passkey is audited and its challenge stays used up: the unit of work commits that, then this raises.
    if isinstance(outcome, passkeys.PasskeyError):
        raise outcome
    return outcome


@transactional
def _passkey_sign_in(
    rp: passkeys.RelyingParty, challenge_id: object, credential_json: str, *, address: str | None
) -> SignInResult | passkeys.PasskeyError:
    try:
        passkey = passkeys.authenticate(rp, "sign_in", challenge_id, credential_json)
    except passkeys.PasskeyError as exc:
        audit.record(db.session, "passkey_sign_in_failed", actor_id=None, ip_address=address)
        return exc
    user = passkey.user
    rec = start_session(db.session, user, mfa_verified=True, signed_in_with="passkey")
    reauth.mark(rec)  # a user-verified passkey is both factors at once
    user.last_signed_in_at = utcnow()
    audit.record(db.session, "sign_in", actor_id=user.id, ip_address=address, method="passkey", passkey_id=passkey.id)
    return SignInResult(user=user, session=rec)


@transactional
def verify_passkey_second_factor(
    user: User, rec: UserSession, rp: passkeys.RelyingParty, challenge_id: object, credential_json: str
) -> second_factor.CodeCheck:
    """After the password: one of the person's own passkeys passes the second factor, under the same throttle as
    codes (a failure counts and is audited like a wrong code)."""
    checked = second_factor.check_passkey(
        user, rec, rp, "second_factor", challenge_id, credential_json, purpose="sign_in"
    )
    if not checked.ok:
        return checked
    rec.mfa_verified_at = utcnow()
    if reauth.password_step_counts(rec):
        reauth.mark(rec)
    audit.record(db.session, "mfa_verified", actor_id=user.id, method="passkey", passkey_id=checked.passkey.id)
    return checked


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
    """Confirm enrolment (or a move to a new app) with a first code from it; the session counts as verified.

    Replacing an authenticator needs a recent re-authentication, checked by the caller; the person is emailed.
    """
    step = mfa.matching_step(secret, code)
    if step is None:
        return False  # a code from the new secret: nothing to guess, so not throttled
    replacing = actor.mfa_enabled
    actor.totp_secret = secret
    actor.totp_last_step = step
    actor.mfa_enabled_at = utcnow()
    rec.mfa_verified_at = utcnow()
    if replacing or reauth.password_step_counts(rec):
        reauth.mark(rec)
    audit.record(
        db.session,
        "mfa_replaced" if replacing else "mfa_enabled",
        actor_id=actor.id,
        object_type="user",
        object_id=actor.id,
    )
    tell_codes_changed(actor, "moved to a new app" if replacing else "turned on")
    return True


def tell_codes_changed(user: User, what: str) -> None:
    """Email after any change to a person's security codes, in case it was not them."""
    send_email(
        user.email,
        "Your security codes were changed",
        "security_codes_changed",
        name=user.full_name,
        what=what,
        phone=current_app.config["OUT_OF_HOURS_PHONE"],
    )
