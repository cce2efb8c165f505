"""Passkeys (WebAuthn): options for the browser, and verification of what it sends back, with the `webauthn` package.

Challenges are kept in the passkey_challenges table (the browser's cookie holds only the row's id) for a few minutes
and are used at most once. The relying party is the host of BASE_URL: browsers refuse an IP address there, so the
demo and the test servers run on http://localhost. Nothing here reads the request; callers commit.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from portal.auth.models import Passkey, PasskeyChallenge, User
from portal.core.db import db, utcnow

CHALLENGE_LIFETIME = timedelta(minutes=5)
NAME_MAX = 60
PURPOSES = frozenset({"register", "sign_in", "second_factor", "reauth"})
# Where the passkey is the whole proof, the authenticator must verify the person (PIN, fingerprint or face): signing
# in without a password, and confirming it is you, where the passkey stands for password and second factor at once.
VERIFIES_PERSON = frozenset({"sign_in", "reauth"})
_TRANSPORTS = {t.value for t in AuthenticatorTransport}


class PasskeyError(Exception):
    """Why a passkey was not accepted, in words for the person (str(error))."""


@dataclass(frozen=True)
class RelyingParty:
    id: str  # a host name, never an IP address
    name: str
    origin: str  # scheme://host[:port], as the browser reports it in clientDataJSON


def relying_party(base_url: str, service_name: str) -> RelyingParty:
    """The relying party for the address people use (BASE_URL), e.g. http://localhost:5000 -> id "localhost"."""
    parts = urlsplit(base_url)
    return RelyingParty(id=parts.hostname or "localhost", name=service_name, origin=f"{parts.scheme}://{parts.netloc}")


# --- challenges --------------------------------------------------------------------------------------------------


def _new_challenge(purpose: str, user_id: int | None) -> tuple[int, bytes]:
    now = utcnow()
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at < now))  # housekeeping
    challenge = secrets.token_bytes(32)
    row = PasskeyChallenge(challenge=challenge, purpose=purpose, user_id=user_id, expires_at=now + CHALLENGE_LIFETIME)
    db.session.add(row)
    db.session.flush()
    return row.id, challenge


def _take_challenge(challenge_id: object, purpose: str, user_id: int | None) -> bytes:
    """The challenge issued for this purpose (and person), removed so it cannot be answered twice."""
    row = db.session.get(PasskeyChallenge, challenge_id) if isinstance(challenge_id, int) else None
    if row is None or row.purpose != purpose or row.user_id != user_id:
        raise PasskeyError("The passkey request has expired. Try again")
    db.session.delete(row)
    db.session.flush()
    if row.expires_at < utcnow():
        raise PasskeyError("The passkey request has expired. Try again")
    return row.challenge


# --- registration ------------------------------------------------------------------------------------------------


def _user_handle(user: User) -> bytes:
    # One handle per account, so an authenticator keeps one passkey per person for this service, not one per attempt.
    return user.passkeys[0].user_handle if user.passkeys else secrets.token_bytes(32)


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=p.credential_id, transports=[AuthenticatorTransport(t) for t in p.transport_list if t in _TRANSPORTS]
        )
        for p in user.passkeys
    ]


def registration_options(user: User, rp: RelyingParty) -> tuple[int, str]:
    """(challenge id, options JSON for navigator.credentials.create): a discoverable credential, not one already held."""
    challenge_id, challenge = _new_challenge("register", user.id)
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_name=user.email,
        user_display_name=user.full_name,
        user_id=_user_handle(user),
        challenge=challenge,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.PREFERRED
        ),
        exclude_credentials=_descriptors(user),
    )
    return challenge_id, options_to_json(options)


def _credential_dict(credential_json: str) -> dict:
    try:
        data = json.loads(credential_json or "")
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("response"), dict):
        raise PasskeyError("Your browser did not send a passkey. Try again")
    return data


def register(user: User, rp: RelyingParty, challenge_id: object, credential_json: str, name: str) -> Passkey:
    """Verify the browser's answer to registration_options and keep the passkey.

    Raises PasskeyError if the challenge is unknown, expired or used, or the answer does not verify.
    """
    data = _credential_dict(credential_json)
    challenge = _take_challenge(challenge_id, "register", user.id)
    try:
        verified = verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp.id, expected_origin=rp.origin
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError("The passkey could not be checked. Try again, or use another passkey") from exc
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        raise PasskeyError("That passkey is already saved")
    transports = data["response"].get("transports") or []
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=_user_handle(user),
        transports=",".join(t for t in transports if t in _TRANSPORTS),
        name=clean_name(name) or f"Passkey added {utcnow():%d %b %Y}",
    )
    user.passkeys.append(passkey)
    db.session.flush()
    return passkey


def clean_name(name: str | None) -> str:
    return " ".join((name or "").split())[:NAME_MAX]


# --- authentication ----------------------------------------------------------------------------------------------


def authentication_options(rp: RelyingParty, purpose: str, user: User | None = None) -> tuple[int, str]:
    """(challenge id, options JSON for navigator.credentials.get).

    Without a user (signing in without a password) any passkey for this site may answer; with a user, only their
    passkeys are offered. For VERIFIES_PERSON purposes the authenticator must verify the person.
    """
    if purpose not in PURPOSES - {"register"}:
        raise ValueError(f"unknown purpose {purpose!r}")
    challenge_id, challenge = _new_challenge(purpose, user.id if user else None)
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        allow_credentials=_descriptors(user) if user else [],
        user_verification=UserVerificationRequirement.REQUIRED
        if purpose in VERIFIES_PERSON
        else UserVerificationRequirement.PREFERRED,
    )
    return challenge_id, options_to_json(options)


def authenticate(
    rp: RelyingParty, purpose: str, challenge_id: object, credential_json: str, user: User | None = None
) -> Passkey:
    """Verify the browser's answer to authentication_options and return the passkey that signed it.

    With a user it must be theirs; for VERIFIES_PERSON purposes the authenticator must have verified the person.
    Raises PasskeyError otherwise (unknown passkey, wrong person, bad signature, replayed counter).
    """
    data = _credential_dict(credential_json)
    challenge = _take_challenge(challenge_id, purpose, user.id if user else None)
    try:
        credential_id = base64url_to_bytes(str(data.get("rawId") or data.get("id") or ""))
    except ValueError as exc:
        raise PasskeyError("Your browser did not send a passkey. Try again") from exc
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        raise PasskeyError("That passkey is not saved for your account here. Try another passkey or your password")
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=purpose in VERIFIES_PERSON,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError("The passkey could not be checked. Try again, or use another passkey") from exc
    if not passkey.user.is_active:
        raise PasskeyError("That passkey is not saved for your account here. Try another passkey or your password")
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey


# --- the person's own list ---------------------------------------------------------------------------------------


def passkey_of(user: User, passkey_id: object) -> Passkey | None:
    """One of the person's own passkeys, or None (someone else's is never found)."""
    if not isinstance(passkey_id, int):
        return None
    return db.session.scalar(select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id))
