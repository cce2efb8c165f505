"""Reads about the signed-in person's own account: only ever their own rows."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import RememberedDevice, User, UserSession
from portal.core.db import db, utcnow


def remembered_devices_of(user: User) -> list[RememberedDevice]:
    return list(
        db.session.scalars(
            select(RememberedDevice)
            .where(
                RememberedDevice.user_id == user.id,
                RememberedDevice.revoked_at.is_(None),
                RememberedDevice.expires_at > utcnow(),
            )
            .order_by(RememberedDevice.created_at.desc())
        )
    )


def other_sessions_of(user: User, current_id: str | None) -> list[UserSession]:
    stmt = select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if current_id:
        stmt = stmt.where(UserSession.id != current_id)
    return list(db.session.scalars(stmt.order_by(UserSession.last_seen_at.desc())))


def get_remembered_device(user: User, device_id: int) -> RememberedDevice | None:
    """One of the person's own live remembered devices, or None (someone else's is never found)."""
    return db.session.scalar(
        select(RememberedDevice).where(
            RememberedDevice.id == device_id, RememberedDevice.user_id == user.id, RememberedDevice.revoked_at.is_(None)
        )
    )
