"""Reads about support groups: the finder's list (own locality first), meetings, replies and followers."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import lazyload

from portal.auth.models import User
from portal.core.db import db
from portal.groups.models import (
    GroupAnnouncement,
    GroupFollower,
    MeetingReply,
    SchoolHoliday,
    SupportGroup,
)
from portal.groups.recurrence import Change, DateRange, Meeting, Pattern, meetings
from portal.people.models import Locality
from portal.people.queries import household_of

LOOK_AHEAD_DAYS = 120


def locality_of(user: User) -> int | None:
    household = household_of(user)
    return household.locality_id if household else None


def groups_for_finder(user: User, audience: str | None = None) -> Select[tuple[SupportGroup]]:
    """Listed groups, the person's own locality first, then the others by name; optionally for one audience."""
    own = locality_of(user)
    # The list shows no coordinators: they are not loaded with it.
    stmt = (
        select(SupportGroup)
        .join(Locality)
        .where(SupportGroup.is_active.is_(True))
        .options(lazyload(SupportGroup.coordinators))
    )
    if audience:
        stmt = stmt.where(SupportGroup.audience == audience)
    first = case((SupportGroup.locality_id == own, 0), else_=1) if own else None
    order = ([first] if first is not None else []) + [Locality.name, SupportGroup.name, SupportGroup.id]
    return stmt.order_by(*order)


def school_holidays() -> list[DateRange]:
    rows = db.session.scalars(select(SchoolHoliday).order_by(SchoolHoliday.starts_on))
    return [DateRange(h.starts_on, h.ends_on) for h in rows]


def pattern_of(group: SupportGroup) -> Pattern:
    return Pattern(group.rrule, group.first_meeting, group.starts_at, group.ends_at, group.term_time_only)


def group_meetings(
    group: SupportGroup, start: date, end: date, holidays: list[DateRange] | None = None
) -> list[Meeting]:
    """The group's meetings whose pattern day falls in [start, end]. Pass `holidays` when listing many groups, so
    they are read once."""
    return meetings(
        pattern_of(group),
        start,
        end,
        breaks=[DateRange(b.starts_on, b.ends_on, b.every_year) for b in group.breaks],
        holidays=school_holidays() if holidays is None else holidays,
        changes=[
            Change(c.original_date, c.is_cancelled, c.new_date, c.new_starts_at, c.new_ends_at, c.note)
            for c in group.changes
        ],
    )


def next_meetings(
    group: SupportGroup, on: date, count: int = 3, holidays: list[DateRange] | None = None
) -> list[Meeting]:
    """The next `count` meetings from `on` (a meeting moved to an earlier day has already gone)."""
    found = group_meetings(group, on, on + timedelta(days=LOOK_AHEAD_DAYS), holidays)
    return [m for m in found if m.start.date() >= on][:count]


def find_meeting(group: SupportGroup, day: date) -> Meeting | None:
    """The meeting the pattern gives on `day` (its name, even when moved), or None."""
    found = group_meetings(group, day, day)
    return found[0] if found else None


def followed_group_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(GroupFollower.group_id).where(GroupFollower.user_id == user.id)))


def is_following(user: User, group: SupportGroup) -> bool:
    return group.id in followed_group_ids(user)


def my_replies(user: User, group: SupportGroup) -> set[date]:
    stmt = select(MeetingReply.meeting_date).where(MeetingReply.group_id == group.id, MeetingReply.user_id == user.id)
    return set(db.session.scalars(stmt))


def reply_counts(group: SupportGroup, days: list[date]) -> Counter:
    """How many people said they are coming to each of these meetings (one query)."""
    if not days:
        return Counter()
    stmt = (
        select(MeetingReply.meeting_date, func.count())
        .where(MeetingReply.group_id == group.id, MeetingReply.meeting_date.in_(days))
        .group_by(MeetingReply.meeting_date)
    )
    return Counter(dict(db.session.execute(stmt).all()))


def replies_to(group: SupportGroup, day: date) -> list[MeetingReply]:
    stmt = (
        select(MeetingReply)
        .where(MeetingReply.group_id == group.id, MeetingReply.meeting_date == day)
        .order_by(MeetingReply.created_at)
    )
    return list(db.session.scalars(stmt))


def follower_ids(group: SupportGroup) -> list[int]:
    return list(db.session.scalars(select(GroupFollower.user_id).where(GroupFollower.group_id == group.id)))


def withdrawal_audience(group: SupportGroup, on: date) -> set[int]:
    """Who is told when the group stops: its followers, people who said they are coming to a meeting on or after
    `on`, and its coordinators (user ids). One query (the coordinators are loaded with the group)."""
    followers = select(GroupFollower.user_id).where(GroupFollower.group_id == group.id)
    coming = select(MeetingReply.user_id).where(MeetingReply.group_id == group.id, MeetingReply.meeting_date >= on)
    return set(db.session.scalars(followers.union(coming))) | {c.user_id for c in group.coordinators}


def follower_count(group: SupportGroup) -> int:
    return db.session.scalar(select(func.count()).where(GroupFollower.group_id == group.id)) or 0


def recent_announcements(group: SupportGroup, limit: int = 5) -> list[GroupAnnouncement]:
    stmt = (
        select(GroupAnnouncement)
        .where(GroupAnnouncement.group_id == group.id)
        .order_by(GroupAnnouncement.created_at.desc(), GroupAnnouncement.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def groups_coordinated_by(user: User) -> list[SupportGroup]:
    from portal.groups.models import GroupCoordinator

    stmt = (
        select(SupportGroup)
        .join(GroupCoordinator)
        .where(GroupCoordinator.user_id == user.id)
        .order_by(SupportGroup.name)
    )
    return list(db.session.scalars(stmt))


def all_school_holidays() -> list[SchoolHoliday]:
    return list(db.session.scalars(select(SchoolHoliday).order_by(SchoolHoliday.starts_on)))
