"""A person's own passkeys: add, rename and remove (removal needs a recent re-authentication, portal.auth.reauth)."""

from __future__ import annotations

from sqlalchemy import update

from portal.account.services import NotReauthenticated
from portal.auth import passkeys, reauth
from portal.auth.models import Passkey, RememberedDevice, User, UserSession
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.unit_of_work import transactional


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
    """Keep a new passkey (raises PasskeyError). Someone enrolling their first second factor has now passed it.

    Raises NotReauthenticated when the person already has a second factor and has not re-authenticated recently.
    """
    if user.has_second_factor and not reauth.is_recent(rec):
        raise NotReauthenticated
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


@transactional
def remove_passkey(user: User, current: UserSession | None, passkey: Passkey) -> None:
    """Remove one of the person's passkeys; without any second factor left, remembered devices are forgotten too.

    Raises NotReauthenticated without a recent re-authentication.
    """
    if not reauth.is_recent(current):
        raise NotReauthenticated
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
