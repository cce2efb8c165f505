"""What needs an admin: invitations sent but not yet accepted (people still waiting to get in)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth.models import Invitation
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source


def invitation_needs(user, on: date) -> list[Need]:
    """One count query: live invitations nobody has accepted yet, and the oldest's date."""
    count, oldest = db.session.execute(
        select(func.count(Invitation.id), func.min(Invitation.created_at)).where(
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow()
        )
    ).one()
    if not count:
        return []
    return [
        Need(
            kind="invitations_waiting",
            text="Invitations not yet accepted",
            href=path_to("admin.list_users"),
            at=oldest or on,
            count=count,
            oldest=oldest,
        )
    ]


register_need_source([Role.ADMIN], invitation_needs)
