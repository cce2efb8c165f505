"""Calendar files for group meetings, and each person's one calendar feed: a secret address that needs no
sign-in, carries only event titles and places, and can be revoked (the old address then answers 404).

The feed's events come from every source registered with `portal.core.calendar.register_feed_source`: groups add
the meetings of the groups a person follows (`followed_meetings`); training adds its bookings.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from portal.auth.models import User
from portal.core.calendar import CalendarEvent
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.unit_of_work import transactional
from portal.groups.models import CalendarFeed, GroupFollower, SupportGroup
from portal.groups.queries import group_meetings, school_holidays
from portal.groups.recurrence import Meeting

FEED_PAST_DAYS = 31
FEED_AHEAD_DAYS = 180


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def meeting_event(group: SupportGroup, meeting: Meeting) -> CalendarEvent:
    """A meeting as a calendar event: the group's name and place only (never an online link or a name).
    The uid is the group and the meeting's pattern day, so a moved meeting updates the event already there."""
    return CalendarEvent(
        uid=f"group-{group.id}-{meeting.original_date:%Y%m%d}@hearth",
        title=group.name,
        start=meeting.start,
        end=meeting.end,
        location=group.place,
        url=url_to("groups.show_group", group_id=group.id),
        cancelled=meeting.is_cancelled,
        sequence=2 if meeting.is_cancelled else (1 if meeting.is_moved else 0),
    )


def followed_meetings(user_id: int) -> list[CalendarEvent]:
    """The feed source: meetings of the groups this person follows, from a month ago to six months ahead."""
    stmt = (
        select(SupportGroup)
        .join(GroupFollower, GroupFollower.group_id == SupportGroup.id)
        .where(GroupFollower.user_id == user_id, SupportGroup.is_active.is_(True))
    )
    groups = list(db.session.scalars(stmt))
    if not groups:
        return []
    on, holidays = today(), school_holidays()
    start, end = on - timedelta(days=FEED_PAST_DAYS), on + timedelta(days=FEED_AHEAD_DAYS)
    return [meeting_event(g, m) for g in groups for m in group_meetings(g, start, end, holidays)]


def current_feed(user: User) -> CalendarFeed | None:
    stmt = select(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
    return db.session.scalar(stmt)


@transactional
def create_feed(actor: User) -> str:
    """A new feed address for this person (any earlier one stops working). Returns the secret token, which is
    shown once and kept only as its hash."""
    _revoke_all(actor)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=actor.id, token_hash=_hash(token)))
    return token


@transactional
def revoke_feed(actor: User) -> None:
    _revoke_all(actor)


def _revoke_all(actor: User) -> None:
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def feed_owner(token: str) -> int | None:
    """The id of the active person whose live feed this token opens, else None (unknown, revoked, or disabled)."""
    if not token or len(token) > 100:
        return None
    stmt = (
        select(CalendarFeed.user_id)
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None), User.is_active.is_(True))
    )
    return db.session.scalar(stmt)
