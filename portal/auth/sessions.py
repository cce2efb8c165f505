"""Server-side session records: created at sign-in, checked on every request, revoked to sign people out everywhere."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from portal.auth.models import Passkey, User, UserRole, UserSession
from portal.auth.roles import Role
from portal.core import badges
from portal.core.db import utcnow

# The record, its user, their roles (as one string: cheaper than loading the role rows as objects), whether they
# have a passkey (the second-factor check asks on every page of anyone without codes) and the counts every page's
# header and menu draw (portal.core.badges), in one query. It runs before every page, so it is built once per set
# of counters: building a statement and its cache key costs more than SQLite takes to answer it.
_LIVE_SESSION: dict[tuple[str, ...], object] = {}


def _live_session_statement() -> tuple[tuple[str, ...], object]:
    names = badges.counter_names()
    statement = _LIVE_SESSION.get(names)
    if statement is None:
        names, counts = badges.counter_columns()  # the columns are built only here, not on every request
        statement = _LIVE_SESSION[names] = (
            select(
                UserSession,
                User,
                select(func.aggregate_strings(UserRole.role, ",")).where(UserRole.user_id == User.id).scalar_subquery(),
                exists().where(Passkey.user_id == User.id),
                *counts,  # for the cookie's user id, bound as user_id: a record of anyone else is refused below
            )
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.id == bindparam("session_id"))
        )
    return names, statement


# Writing last_seen on every request would turn every page view into a write; once a minute is enough for idle expiry.
_TOUCH_EVERY = timedelta(minutes=1)


def start_session(db: Session, user: User, *, mfa_verified: bool, signed_in_with: str = "password") -> UserSession:
    now = utcnow()
    rec = UserSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        mfa_verified_at=now if mfa_verified else None,
        signed_in_with=signed_in_with,
    )
    db.add(rec)
    return rec


def live_session(
    db: Session, session_id: str | None, user_id: str | None, idle: timedelta, lifetime: timedelta | None = None
) -> tuple[User, UserSession] | None:
    """The user behind a cookie, or None if the record is missing, revoked, idle too long, older than `lifetime`
    (however busy: a stolen cookie cannot be kept alive for ever) or the user is disabled."""
    if not session_id or not user_id or not str(user_id).isdigit():
        return None
    badge_names, statement = _live_session_statement()
    row = db.execute(statement, {"session_id": session_id, "user_id": int(user_id)}).first()
    now = utcnow()
    if row is None:
        return None
    rec, user, roles, has_passkey, *badge_counts = row
    if rec.revoked_at is not None or rec.user_id != int(user_id):
        return None
    if now - rec.last_seen_at > idle:
        return None
    if lifetime is not None and now - rec.created_at > lifetime:
        if rec.revoked_at is None:
            rec.revoked_at, rec.revoked_reason = now, "lifetime_ended"
            db.commit()
        return None
    if not user.is_active:
        return None
    if now - rec.last_seen_at > _TOUCH_EVERY:
        rec.last_seen_at = now
        db.commit()
    user.passkey_at_load = has_passkey
    badges.loaded(badge_names, badge_counts)  # after the commit above, which would forget them
    if "role_rows" not in user.__dict__:  # loaded already in this session, the rows are the answer
        user.know_roles(frozenset(Role(r) for r in roles.split(",")) if roles else frozenset())
    return user, rec


def revoke_sessions(db: Session, user_id: int, reason: str, *, except_id: str | None = None) -> None:
    stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if except_id:
        stmt = stmt.where(UserSession.id != except_id)
    db.execute(stmt.values(revoked_at=utcnow(), revoked_reason=reason))


def active_sessions(db: Session, user_id: int) -> list[UserSession]:
    return list(db.scalars(select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))))
