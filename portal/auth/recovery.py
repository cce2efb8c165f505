"""A way back in when the authenticator is lost: one-time recovery codes, and a reset of someone's second factor by
their supervising social worker or an admin."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import delete, func, select, update

from portal.auth.models import RecoveryCode, RememberedDevice, User
from portal.auth.sessions import revoke_sessions
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.unit_of_work import transactional

CODES_PER_SET = 10
# No 0/o, 1/l/i: the codes are often copied from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_LENGTH = 10  # about 50 bits each; guessing is also throttled and the stored hash is keyed


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(user_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"recovery:{user_id}:{_normalise(code)}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def replace_codes(user: User) -> list[str]:
    """A fresh set of codes, replacing any earlier set; returns them in plain text to show once (the caller commits)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_code() for _ in range(CODES_PER_SET)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(user.id, c)) for c in codes)
    audit.record(db.session, "recovery_codes_created", actor_id=user.id, object_type="user", object_id=user.id)
    return codes


def use_code(user: User, code: str) -> bool:
    """Spend one unused code of this person's; False if it is not one (the caller commits)."""
    if not _normalise(code):
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return spent == 1


def codes_left(user: User) -> int:
    return (
        db.session.scalar(select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
        or 0
    )


def clear_second_factor(user: User) -> None:
    """Remove every second factor, recovery code and remembered device of `user` (the caller audits and commits)."""
    user.totp_secret = None
    user.totp_last_step = None
    user.mfa_enabled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(
        update(RememberedDevice)
        .where(RememberedDevice.user_id == user.id, RememberedDevice.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@transactional
def reset_second_factor(actor: User, target: User) -> None:
    """For a lost phone, by the person's supervising social worker or an admin (the caller has checked which):
    every factor is cleared, the person is signed out everywhere and told by email."""
    clear_second_factor(target)
    revoke_sessions(db.session, target.id, "mfa_reset")
    audit.record(db.session, "mfa_reset", actor_id=actor.id, object_type="user", object_id=target.id)
    send_email(
        target.email,
        "Your security codes have been reset",
        "security_codes_reset",
        name=target.full_name,
        phone=current_app.config["OUT_OF_HOURS_PHONE"],
        staff=target.mfa_required,
        sign_in_link=url_to("auth.sign_in"),
    )
