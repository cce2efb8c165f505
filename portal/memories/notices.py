"""Notices about memory boxes for their moderators: one open reminder per box, gone once its queue is empty."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.core.db import db
from portal.core.links import path_to
from portal.core.notice_kinds import MEMORIES_TO_APPROVE
from portal.core.notify import notify_in_app, resolve_notices
from portal.memories.models import PENDING, MemoryItem
from portal.memories.policy import BoxAccess


def tell_moderators(access: BoxAccess, text: str) -> None:
    child = access.child
    ids = {child.social_worker_id}
    if access.placement is not None:
        ids.add(access.placement.household.ssw_id)
    for user_id in sorted(i for i in ids if i):
        # One open reminder per box, whatever the number of uploads: it goes once the box's queue is empty.
        notify_in_app(
            user_id,
            text,
            path_to("memories.moderation_queue"),
            kind=MEMORIES_TO_APPROVE.name,
            target=box_target(child.id),
            key=f"memories-to-approve:{child.id}",
        )


def box_target(child_id: int) -> str:
    return f"memory-box:{child_id}"


def resolve_reminders_when_queue_empty(child_id: int) -> None:
    """The approval reminders about this box go when nothing in it waits for a moderator any more."""
    db.session.flush()
    waiting = db.session.scalar(
        select(func.count())
        .select_from(MemoryItem)
        .where(MemoryItem.child_id == child_id, MemoryItem.status == PENDING, MemoryItem.hidden_at.is_(None))
    )
    if not waiting:
        resolve_notices(box_target(child_id), kind=MEMORIES_TO_APPROVE.name)
