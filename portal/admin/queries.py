"""Reads for the admin pages, scoped to the viewer: only admins see accounts, invitations and the audit trail."""

from __future__ import annotations

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from portal.auth.models import Invitation, User, UserRole
from portal.auth.roles import Role
from portal.core import trigrams
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow


def users_visible_to(viewer: User) -> Select:
    stmt = select(User).options(selectinload(User.role_rows))  # the lists show each person's roles
    return stmt if viewer.has_role(Role.ADMIN) else stmt.where(false())


def search_users(viewer: User, text: str = "", role: Role | None = None) -> Select:
    stmt = users_visible_to(viewer)
    text = text.strip().lower()
    if text:
        text = text.replace("%", "").replace("_", "")
        if trigrams.serve(text):  # SQLite: read the people whose name or email holds the text, not every person
            stmt = stmt.where(trigrams.holding(User.id, trigrams.USERS, text))
        # ILIKE on the columns themselves: PostgreSQL's trigram indexes of them (migration 0020) serve it, as they
        # cannot serve lower(column); SQLite writes it as lower() of both sides, as before.
        like = f"%{text}%"
        stmt = stmt.where(or_(User.full_name.ilike(like), User.email.ilike(like)))
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role.value)))
    return stmt.options(selectinload(User.role_rows)).order_by(func.lower(User.full_name), User.id)


def get_user(viewer: User, user_id: int) -> User | None:
    return db.session.scalar(users_visible_to(viewer).where(User.id == user_id))


def invitations_visible_to(viewer: User) -> Select:
    stmt = select(Invitation)
    return stmt if viewer.has_role(Role.ADMIN) else stmt.where(false())


def pending_invitations(viewer: User) -> Select:
    return (
        invitations_visible_to(viewer)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def get_invitation(viewer: User, invitation_id: int) -> Invitation | None:
    return db.session.scalar(invitations_visible_to(viewer).where(Invitation.id == invitation_id))


def audit_events_visible_to(viewer: User, *, action: str = "", user_id: int | None = None) -> Select:
    stmt = select(AuditEvent)
    if not viewer.has_role(Role.ADMIN):
        return stmt.where(false())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if user_id is not None:
        # Events the person did, and events done to them.
        stmt = stmt.where(
            or_(
                AuditEvent.actor_id == user_id,
                and_(AuditEvent.object_type == "user", AuditEvent.object_id == str(user_id)),
            )
        )
    return stmt.order_by(AuditEvent.id.desc())


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def names_for(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.full_name for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}


def invitation_is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= utcnow()
