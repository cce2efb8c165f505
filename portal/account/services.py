"""Changes a person makes to their own account: password, optional security codes, devices, other sessions."""

from __future__ import annotations

from sqlalchemy import update

from portal.account.queries import get_remembered_device
from portal.auth import mfa
from portal.auth.models import RememberedDevice, User, UserSession
from portal.auth.sessions import revoke_sessions
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.security import hash_password, verify_password
from portal.core.unit_of_work import transactional


@transactional
def change_password(actor: User, current: UserSession | None, current_password: str, new_password: str) -> bool:
    """False if the current password is wrong; otherwise change it and end every other session."""
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
def turn_off_mfa(actor: User, code: str) -> bool:
    """Carers (not staff) may turn optional security codes off, proving with a current code that it is them."""
    if actor.mfa_required or not actor.mfa_enabled:
        return False
    if not mfa.check_code(actor, code):
        audit.record(db.session, "mfa_failed", actor_id=actor.id, purpose="turn_off")
        return False
    actor.totp_secret = None
    actor.totp_last_step = None
    actor.mfa_enabled_at = None
    _forget_all_devices(actor)
    audit.record(db.session, "mfa_disabled", actor_id=actor.id, object_type="user", object_id=actor.id)
    return True


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
