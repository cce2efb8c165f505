"""What needs a moderator about memory boxes: the items waiting for their approval, and the oldest's age."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source
from portal.memories.queries import moderation_queue


def moderation_needs(user, on: date) -> list[Need]:
    """One count query over the moderation queue (ordering dropped)."""
    queue = moderation_queue(user).order_by(None).subquery()
    count, oldest = db.session.execute(select(func.count(), func.min(queue.c.created_at))).one()
    if not count:
        return []
    return [
        Need(
            kind="memories_to_approve",
            text="Memories waiting for your approval",
            href=path_to("memories.moderation_queue"),
            at=oldest or on,
            count=count,
            oldest=oldest,
        )
    ]


register_need_source([Role.SSW, Role.CHILD_SW], moderation_needs)
