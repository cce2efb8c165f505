"""A person's own passkeys: add, rename and remove (removal needs them to prove it is them again)."""

from __future__ import annotations

from sqlalchemy import update

from portal.auth import passkeys
from portal.auth.models import Passkey, RememberedDevice, User, UserSession
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.security import verify_password
from portal.core.unit_of_work import transactional


class ReauthFailed(Exception):
    """The password or passkey given to confirm a change was not right (str(error) says what to do)."""


def _tell(user: User, subject: str, change: str) -> None:
    send_email(
        user.email,
        subject,
        "passkeys_changed",
        name=user.full_name,
        change=change,
        account_link=url_to("account.show_account"),
    )


@transactional
def add_passkey(
    user: User, rec: UserSession | None, rp: passkeys.RelyingParty, challenge_id: object, credential: str, name: str
) -> Passkey:
    """Keep a new passkey (raises PasskeyError). Someone enrolling their first second factor has now passed it."""
    passkey = passkeys.register(user, rp, challenge_id, credential, name)
    if rec is not None and rec.mfa_verified_at is None:
        rec.mfa_verified_at = utcnow()
    audit.record(db.session, "passkey_added", actor_id=user.id, object_type="passkey", object_id=passkey.id)
    _tell(user, "A passkey was added to your account", f"A passkey called “{passkey.name}” was added to your account.")
    return passkey


@transactional
def rename_passkey(user: User, passkey: Passkey, name: str) -> None:
    passkey.name = passkeys.clean_name(name) or passkey.name
    audit.record(db.session, "passkey_renamed", actor_id=user.id, object_type="passkey", object_id=passkey.id)


def can_remove(user: User, passkey: Passkey) -> bool:
    """Staff must keep a second factor: their last passkey goes only once they have security codes or another one."""
    return not user.mfa_required or user.mfa_enabled or len(user.passkeys) > 1


def confirm_identity(
    user: User,
    rec: UserSession | None,
    *,
    password: str = "",
    rp: passkeys.RelyingParty | None = None,
    challenge_id: object = None,
    credential: str = "",
) -> None:
    """Re-authentication for a sensitive change: one of the person's passkeys, or their password, except that a
    person who signed in with a passkey must use a passkey again. Raises ReauthFailed (audited)."""
    if credential and rp is not None:
        try:
            passkeys.authenticate(rp, "reauth", challenge_id, credential, user=user)
            return
        except passkeys.PasskeyError as exc:
            _failed(user, "passkey")
            raise ReauthFailed(str(exc)) from exc
    if rec is not None and rec.signed_in_with == "passkey":
        raise ReauthFailed("You signed in with a passkey, so use a passkey to confirm it is you")
    if not password:
        raise ReauthFailed("Enter your password, or use a passkey")
    if not verify_password(user.password_hash, password):
        _failed(user, "password")
        raise ReauthFailed("Your password is not right")


@transactional
def _failed(user: User, method: str) -> None:
    audit.record(db.session, "reauth_failed", actor_id=user.id, method=method)


@transactional
def remove_passkey(user: User, passkey: Passkey) -> None:
    """Call after confirm_identity. Without any second factor left, remembered devices are forgotten too."""
    name = passkey.name
    audit.record(db.session, "passkey_removed", actor_id=user.id, object_type="passkey", object_id=passkey.id)
    user.passkeys.remove(passkey)
    db.session.flush()
    if not user.has_second_factor:
        db.session.execute(
            update(RememberedDevice)
            .where(RememberedDevice.user_id == user.id, RememberedDevice.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    _tell(
        user, "A passkey was removed from your account", f"The passkey called “{name}” was removed from your account."
    )
