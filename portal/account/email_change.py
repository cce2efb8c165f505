"""Changing one's own email address: asked for after re-authenticating, finished from a link sent to the new address.

The link's token is signed with SECRET_KEY (itsdangerous, as Flask signs its cookies) rather than stored, and carries
the account, the new address and a version: a digest of the current address and of how many times it has changed
(from the audit trail). Once the address changes, every earlier link stops working, including one that would
change it back to an address given up. Links expire after LINK_HOURS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.account.services import NotReauthenticated
from portal.auth import reauth
from portal.auth.models import PasswordReset, User, UserSession
from portal.auth.services import find_user_by_email
from portal.auth.sessions import revoke_sessions
from portal.core import audit
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.unit_of_work import transactional

LINK_HOURS = 24
_SALT = "hearth-email-change"


class EmailInUse(ValueError):
    """The new address already belongs to an account, or is the person's own (str(error) says which, for them)."""


class ChangeState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"  # not a link we made, or cut short
    EXPIRED = "expired"
    USED = "used"  # this link, or a later one, has already changed the address
    OTHER_ACCOUNT = "other_account"  # made for someone else than the person signed in
    TAKEN = "taken"  # the new address has since been given to another account


@dataclass(frozen=True)
class PendingChange:
    user_id: int
    new_email: str
    version: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _version(user: User) -> str:
    changes = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "email_changed", AuditEvent.object_type == "user")
        .where(AuditEvent.object_id == str(user.id))
    )
    return hashlib.sha256(f"{changes}:{user.email.lower()}".encode()).hexdigest()[:24]


@transactional
def request_email_change(user: User, current: UserSession | None, new_email: str) -> None:
    """Email a confirmation link to `new_email`; the address changes only when it is followed.

    Raises NotReauthenticated without a recent re-authentication, EmailInUse if the address is taken or unchanged.
    """
    if not reauth.is_recent(current):
        raise NotReauthenticated
    new_email = new_email.strip().lower()
    owner = find_user_by_email(new_email)
    if owner is not None and owner.id == user.id:
        raise EmailInUse("That is already your email address. Enter a different one")
    if owner is not None:
        raise EmailInUse("That email address is used by another account. Enter a different one")
    token = _serializer().dumps({"u": user.id, "to": new_email, "v": _version(user)})
    audit.record(db.session, "email_change_requested", actor_id=user.id, object_type="user", object_id=user.id)
    send_email(
        new_email,
        "Confirm your new email address",
        "email_change_confirm",
        name=user.full_name,
        hours=LINK_HOURS,
        link=url_to("account.confirm_email_change", token=token),
    )


def find_change(token: str, user: User) -> tuple[PendingChange | None, ChangeState]:
    """What the link asks for, and whether `user` (the person signed in) may follow it now."""
    try:
        data = _serializer().loads(token, max_age=LINK_HOURS * 3600)
    except SignatureExpired:
        return None, ChangeState.EXPIRED
    except BadSignature:
        return None, ChangeState.UNKNOWN
    if not isinstance(data, dict) or not {"u", "to", "v"} <= data.keys():
        return None, ChangeState.UNKNOWN
    change = PendingChange(user_id=data["u"], new_email=data["to"], version=data["v"])
    if change.user_id != user.id:
        return change, ChangeState.OTHER_ACCOUNT
    if change.version != _version(user):
        return change, ChangeState.USED
    if find_user_by_email(change.new_email) is not None:
        return change, ChangeState.TAKEN
    return change, ChangeState.VALID


@transactional
def confirm_email_change(user: User, current: UserSession | None, token: str) -> ChangeState:
    """Follow the link: change the address, end the person's other sessions and unused password-reset links, and tell
    the old address. Returns the link's state (VALID: changed)."""
    change, state = find_change(token, user)
    if state is not ChangeState.VALID:
        return state
    old_email = user.email
    try:
        with db.session.begin_nested():
            user.email = change.new_email
    except IntegrityError:  # the address was given to someone else a moment ago
        return ChangeState.TAKEN
    revoke_sessions(db.session, user.id, "email_changed", except_id=current.id if current else None)
    # A reset link in the old mailbox must not outlive the move away from it.
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    audit.record(db.session, "email_changed", actor_id=user.id, object_type="user", object_id=user.id)
    send_email(
        old_email,
        "Your email address was changed",
        "email_changed",
        name=user.full_name,
        phone=current_app.config["OUT_OF_HOURS_PHONE"],
    )
    return ChangeState.VALID
