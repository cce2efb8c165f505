"""Reads for mentoring pages, each a bounded number of queries whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.mentoring.matching import MenteeNeeds, MentorOffer
from portal.mentoring.models import (
    LIVE_STATUSES,
    Contact,
    LocalityNeighbour,
    Match,
    MatchEvent,
    MatchStatus,
    Mentee,
    MentorProfile,
    Message,
    MessageReport,
    ReadMark,
    split,
)
from portal.people.models import Locality

MESSAGES_PER_PAGE = 30


def neighbours_map() -> dict[int, frozenset[int]]:
    """Locality id → its neighbours' ids (kept both ways by the admin)."""
    found: dict[int, set[int]] = {}
    for a, b in db.session.execute(select(LocalityNeighbour.locality_id, LocalityNeighbour.neighbour_id)):
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in found.items()}


def localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def locality_names() -> dict[int, str]:
    return dict(db.session.execute(select(Locality.id, Locality.name)).all())


def live_counts() -> dict[int, int]:
    """Mentor user id → live matches."""
    return dict(
        db.session.execute(
            select(Match.mentor_id, func.count()).where(Match.status.in_(LIVE_STATUSES)).group_by(Match.mentor_id)
        ).all()
    )


def mentor_profiles() -> list[MentorProfile]:
    return list(
        db.session.scalars(select(MentorProfile).join(User, User.id == MentorProfile.user_id).order_by(User.full_name))
    )


def as_offer(profile: MentorProfile, active: int, on: date) -> MentorOffer:
    return MentorOffer(
        id=profile.user_id,
        locality_id=profile.locality_id,
        fostering_types=frozenset(split(profile.fostering_types)),
        age_groups=frozenset(split(profile.age_groups)),
        times=frozenset(split(profile.availability)),
        ways=frozenset(split(profile.ways)),
        languages=frozenset(split(profile.languages)) or frozenset({"english"}),
        capacity=profile.capacity,
        active=active,
        taking_mentees=profile.taking_mentees and profile.user.is_active,
        trained=profile.training_completed_on is not None and profile.training_completed_on <= on,
    )


def mentor_offers(on: date) -> list[MentorOffer]:
    counts = live_counts()
    return [as_offer(p, counts.get(p.user_id, 0), on) for p in mentor_profiles()]


def needs_of(mentee: Mentee) -> MenteeNeeds:
    return MenteeNeeds(
        id=mentee.id,
        locality_id=mentee.locality_id,
        fostering_type=mentee.fostering_type,
        age_groups=frozenset(split(mentee.age_groups)),
        times=frozenset(split(mentee.availability)),
        ways=frozenset(split(mentee.ways)),
        languages=frozenset(split(mentee.languages)) or frozenset({"english"}),
    )


def _live_match_exists():
    return select(Match.id).where(Match.mentee_id == Mentee.id, Match.status.in_(LIVE_STATUSES)).exists()


def _mentoring_ended():
    """Their latest match has ended: their mentoring is over (a first year completed, or ended by the coordinator),
    so they are not queued again; the coordinator can still ask a mentor from their page, and if that offer is
    declined they wait again."""
    ended, later = aliased(Match), aliased(Match)
    newer = select(later.id).where(later.mentee_id == ended.mentee_id, later.proposed_at > ended.proposed_at).exists()
    return (
        select(ended.id)
        .where(ended.mentee_id == Mentee.id, ended.status == MatchStatus.ENDED, ~newer)
        .correlate(Mentee)
        .exists()
    )


def waiting_mentees_stmt():
    """Mentees who want a mentor, have not withdrawn, have no live match and whose mentoring has not ended: oldest
    answer first."""
    return (
        select(Mentee)
        .where(Mentee.response == "wants", Mentee.withdrew_on.is_(None), ~_live_match_exists(), ~_mentoring_ended())
        .order_by(Mentee.responded_on, Mentee.id)
    )


def waiting_mentees(limit: int | None = None) -> list[Mentee]:
    stmt = waiting_mentees_stmt()
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def mentees_page(number: int, *, stage: str | None = None) -> Page:
    stmt = select(Mentee).order_by(Mentee.created_at.desc(), Mentee.id.desc())
    if stage:
        stmt = stmt.where(Mentee.stage == stage)
    return paginate(stmt, number)


def matches_by_mentee(mentee_ids: list[int]) -> dict[int, list[Match]]:
    found: dict[int, list[Match]] = {}
    if mentee_ids:
        for m in db.session.scalars(
            select(Match).where(Match.mentee_id.in_(mentee_ids)).order_by(Match.proposed_at.desc())
        ).unique():
            found.setdefault(m.mentee_id, []).append(m)
    return found


def match_history(match_ids: list[int]) -> list[MatchEvent]:
    if not match_ids:
        return []
    return list(
        db.session.scalars(select(MatchEvent).where(MatchEvent.match_id.in_(match_ids)).order_by(MatchEvent.at))
    )


def matches_for_person(user: User) -> list[Match]:
    """Matches the person is in (as mentor or mentee), live first, newest first."""
    stmt = (
        select(Match)
        .where(or_(Match.mentor_id == user.id, Match.mentee_user_id == user.id))
        .order_by(case((Match.status.in_(LIVE_STATUSES), 0), else_=1), Match.proposed_at.desc())
    )
    return list(db.session.scalars(stmt).unique())


def _unread_by_match_stmt():
    messages, matches, marks = Message.__table__, Match.__table__, ReadMark.__table__
    user_id = bindparam("user_id")
    mark = (
        select(marks.c.last_read_id)
        .where(marks.c.match_id == messages.c.match_id, marks.c.user_id == user_id)
        .scalar_subquery()
    )
    return (
        select(messages.c.match_id, func.count())
        .join_from(messages, matches, matches.c.id == messages.c.match_id)
        .where(
            or_(matches.c.mentor_id == user_id, matches.c.mentee_user_id == user_id),
            messages.c.sender_id != user_id,
            messages.c.id > func.coalesce(mark, 0),
        )
        .group_by(messages.c.match_id)
    )


# Asked on every page for the navigation's badge (and again by the home page): a Core statement built once, the user
# a bound parameter, so a visit pays for the query and not for building it.
_UNREAD_BY_MATCH = _unread_by_match_stmt()


def unread_by_match(user: User) -> dict[int, int]:
    """Match id → messages from the other person the user has not seen (one query)."""
    return dict(db.session.execute(_UNREAD_BY_MATCH, {"user_id": user.id}).all())


def _unread_total_statement():
    # From the tables, not the models: an ORM-enabled statement goes through the ORM's compile and result steps
    # on every run, which cost more than the count itself.
    messages, matches, marks = Message.__table__, Match.__table__, ReadMark.__table__
    me = bindparam("user_id")
    mark = select(marks.c.last_read_id).where(marks.c.match_id == messages.c.match_id, marks.c.user_id == me)
    return (
        select(func.count())
        .select_from(messages)
        .join(matches, matches.c.id == messages.c.match_id)
        .where(
            or_(matches.c.mentor_id == me, matches.c.mentee_user_id == me),
            messages.c.sender_id != me,
            messages.c.id > func.coalesce(mark.scalar_subquery(), 0),
        )
    )


# The navigation's badge, on every page a mentor, applicant or carer opens (portal.core.badges), and the unread item
# among what needs them (portal.mentoring.needs): built once, since building it costs more than the database takes
# to answer it.
UNREAD_TOTAL = _unread_total_statement()


@dataclass
class MessagePage:
    """Newest messages first in the query, shown oldest-to-newest; `older_than` links to the page before."""

    messages: list[Message]
    older_than: int | None


def message_page(match: Match, before_id: int | None = None, per_page: int = MESSAGES_PER_PAGE) -> MessagePage:
    """One page of a conversation, by keyset (id < before): as fast for message 5,000 as for message 5."""
    stmt = select(Message).where(Message.match_id == match.id)
    if before_id:
        stmt = stmt.where(Message.id < before_id)
    rows = list(db.session.scalars(stmt.order_by(Message.id.desc()).limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    return MessagePage(list(reversed(rows)), rows[-1].id if more and rows else None)


def newest_message_id(match: Match) -> int:
    return db.session.scalar(select(func.max(Message.id)).where(Message.match_id == match.id)) or 0


def contacts_for_match(match: Match) -> list[Contact]:
    return list(
        db.session.scalars(select(Contact).where(Contact.match_id == match.id).order_by(Contact.contact_on.desc()))
    )


def contacts_of_mentor(user: User, number: int) -> Page:
    stmt = select(Contact).where(Contact.mentor_id == user.id).order_by(Contact.contact_on.desc(), Contact.id.desc())
    return paginate(stmt, number)


@dataclass
class TalkRow:
    match: Match
    from_mentor: int
    from_mentee: int
    last_at: datetime | None
    contacts: int


def talk_page(number: int) -> tuple[Page, list[TalkRow]]:
    """Who talks and how often, for introduced and active matches: counts and dates only, never the messages."""
    stmt = (
        select(Match)
        .where(Match.status.in_(("introduced", "active", "ended")))
        .order_by(case((Match.status == "ended", 1), else_=0), Match.proposed_at.desc())
    )
    page = paginate(stmt, number)
    ids = [m.id for m in page.items]
    counts: dict[int, tuple[int, int, datetime | None]] = {}
    if ids:
        for match_id, mine, theirs, last in db.session.execute(
            select(
                Message.match_id,
                func.sum(case((Message.sender_id == Match.mentor_id, 1), else_=0)),
                func.sum(case((Message.sender_id != Match.mentor_id, 1), else_=0)),
                func.max(Message.sent_at),
            )
            .join(Match, Match.id == Message.match_id)
            .where(Message.match_id.in_(ids))
            .group_by(Message.match_id)
        ):
            counts[match_id] = (int(mine or 0), int(theirs or 0), last)
    contacts = (
        dict(
            db.session.execute(
                select(Contact.match_id, func.count()).where(Contact.match_id.in_(ids)).group_by(Contact.match_id)
            ).all()
        )
        if ids
        else {}
    )
    rows = [TalkRow(m, *counts.get(m.id, (0, 0, None)), contacts.get(m.id, 0)) for m in page.items]
    return page, rows


@dataclass
class FairnessRow:
    mentor: MentorProfile
    offers: int
    accepted: int
    active: int


def fairness(year: int) -> list[FairnessRow]:
    """Offers (matches proposed), accepted offers and live mentees per mentor in the calendar year."""
    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    stats = {
        mentor_id: (offers, accepted)
        for mentor_id, offers, accepted in db.session.execute(
            select(
                Match.mentor_id,
                func.count(),
                func.sum(case((Match.accepted_at.is_not(None), 1), else_=0)),
            )
            .where(and_(Match.proposed_at >= start, Match.proposed_at < end))
            .group_by(Match.mentor_id)
        )
    }
    live = live_counts()
    rows = [
        FairnessRow(
            p, stats.get(p.user_id, (0, 0))[0], int(stats.get(p.user_id, (0, 0))[1] or 0), live.get(p.user_id, 0)
        )
        for p in mentor_profiles()
    ]
    return sorted(rows, key=lambda r: (-r.offers, r.mentor.user.full_name))


def open_reports(number: int) -> Page:
    stmt = select(MessageReport).order_by(MessageReport.reviewed_at.is_not(None), MessageReport.reported_at.desc())
    return paginate(stmt, number)


def mentee_of_user(user: User) -> Mentee | None:
    return db.session.scalar(select(Mentee).where(Mentee.user_id == user.id))
