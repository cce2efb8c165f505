"""Changes a person makes to their own account: password, optional security codes, devices, other sessions."""

from __future__ import annotations

from sqlalchemy import update

from portal.account.queries import get_remembered_device
from portal.auth import reauth, recovery
from portal.auth.models import RememberedDevice, User, UserSession
from portal.auth.services import tell_codes_changed
from portal.auth.sessions import revoke_sessions
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.security import hash_password, verify_password
from portal.core.unit_of_work import transactional


class NotReauthenticated(Exception):
    """The session has not re-authenticated recently (portal.auth.reauth): send the person to do that first."""


def _require_reauth(current: UserSession | None) -> None:
    if not reauth.is_recent(current):
        raise NotReauthenticated


@transactional
def change_password(actor: User, current: UserSession | None, current_password: str, new_password: str) -> bool:
    """False if the current password is wrong; otherwise change it and end every other session.

    Raises NotReauthenticated without a recent re-authentication (password and, if they have one, a code).
    """
    _require_reauth(current)
    if not verify_password(actor.password_hash, current_password):
        audit.record(db.session, "password_change_failed", actor_id=actor.id, object_type="user", object_id=actor.id)
        return False
    actor.password_hash = hash_password(new_password)
    actor.password_changed_at = utcnow()
    revoke_sessions(db.session, actor.id, "password_changed", except_id=current.id if current else None)
    audit.record(db.session, "password_changed", actor_id=actor.id, object_type="user", object_id=actor.id)
    send_email(
        actor.email,
        "Your password has been changed",
        "password_changed",
        name=actor.full_name,
        forgotten_link=url_to("auth.forgotten_password"),
    )
    return True


def _forget_all_devices(user: User) -> None:
    db.session.execute(
        update(RememberedDevice)
        .where(RememberedDevice.user_id == user.id, RememberedDevice.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@transactional
def turn_off_mfa(actor: User, current: UserSession | None) -> bool:
    """Carers (not staff) may turn optional security codes off after re-authenticating with password and code.

    False if codes are required or already off; raises NotReauthenticated without a recent re-authentication.
    """
    if actor.mfa_required or not actor.mfa_enabled:
        return False
    _require_reauth(current)
    recovery.clear_second_factor(actor)
    audit.record(db.session, "mfa_disabled", actor_id=actor.id, object_type="user", object_id=actor.id)
    tell_codes_changed(actor, "turned off")
    return True


@transactional
def new_recovery_codes(actor: User, current: UserSession | None) -> list[str]:
    """A fresh set of recovery codes (earlier ones stop working), to show once.

    Raises NotReauthenticated without a recent re-authentication; ValueError if the person has no second factor.
    """
    if not actor.has_second_factor:
        raise ValueError("recovery codes need a second factor to recover")
    _require_reauth(current)
    codes = recovery.replace_codes(actor)
    tell_codes_changed(actor, "given a new set of recovery codes")
    return codes


@transactional
def forget_device(actor: User, device_id: int) -> bool:
    device = get_remembered_device(actor, device_id)
    if device is None:
        return False
    device.revoked_at = utcnow()
    audit.record(
        db.session, "mfa_device_forgotten", actor_id=actor.id, object_type="remembered_device", object_id=device.id
    )
    return True


@transactional
def forget_all_devices(actor: User) -> None:
    _forget_all_devices(actor)
    audit.record(db.session, "mfa_devices_forgotten", actor_id=actor.id, object_type="user", object_id=actor.id)


@transactional
def sign_out_other_devices(actor: User, current: UserSession | None) -> None:
    revoke_sessions(db.session, actor.id, "signed_out_elsewhere", except_id=current.id if current else None)
    audit.record(db.session, "signed_out_other_sessions", actor_id=actor.id, object_type="user", object_id=actor.id)
