"""What mentoring asks of a person now, for the home page's "what needs me" list (wired in portal.app).

Each source returns plain dicts with the fields of portal.hub.needs.Need (kind, text, href, at, count), so this
feature need not import the hub. Each costs a fixed number of queries.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam, func, or_, select

from portal.core.db import db
from portal.core.links import path_to
from portal.mentoring import queries
from portal.mentoring.lifecycle import FIRST_CONTACT_DAYS
from portal.mentoring.models import Match, MatchStatus, Mentee

# Asked on every visit to a mentor's, applicant's or carer's home page: Core statements built once (the user is a
# bound parameter), reading only what the texts need rather than loading matches with their mentees and mentors.
_matches, _mentees = Match.__table__, Mentee.__table__
_REQUESTS = (
    select(_matches.c.id, _mentees.c.full_name, _matches.c.respond_by, _matches.c.proposed_at)
    .join_from(_matches, _mentees, _mentees.c.id == _matches.c.mentee_id)
    .where(_matches.c.mentor_id == bindparam("user_id"), _matches.c.status == MatchStatus.PROPOSED)
    .limit(5)
)
_FIRST_CONTACTS = (
    select(_matches.c.id, _mentees.c.full_name, _matches.c.introduced_on)
    .join_from(_matches, _mentees, _mentees.c.id == _matches.c.mentee_id)
    .where(
        _matches.c.mentor_id == bindparam("user_id"),
        _matches.c.status == MatchStatus.INTRODUCED,
        _matches.c.first_contact_on.is_(None),
    )
    .limit(5)
)


def person_needs(user, on: date) -> list[dict]:
    """A request to mentor someone, unread messages, a first contact due."""
    items = []
    for match_id, mentee_name, respond_by, proposed_at in db.session.execute(_REQUESTS, {"user_id": user.id}):
        items.append(
            dict(
                kind="mentoring_request",
                text=f"Will you mentor {mentee_name}? Answer by {respond_by:%-d %B %Y}",
                href=path_to("mentoring.show_match", match_id=match_id),
                at=proposed_at,
            )
        )
    unread = queries.unread_total(user)
    if unread:
        items.append(
            dict(
                kind="mentoring_messages",
                text=f"{unread} new mentoring {'message' if unread == 1 else 'messages'}",
                href=path_to("mentoring.my_mentoring"),
                at=on,
                count=unread,
            )
        )
    for match_id, mentee_name, introduced_on in db.session.execute(_FIRST_CONTACTS, {"user_id": user.id}):
        due = introduced_on + timedelta(days=FIRST_CONTACT_DAYS)
        items.append(
            dict(
                kind="mentoring_first_contact",
                text=f"Get in touch with {mentee_name} by {due:%-d %B %Y}",
                href=path_to("mentoring.show_conversation", match_id=match_id),
                at=introduced_on,
            )
        )
    return items


def coordinator_needs(user, on: date) -> list[dict]:
    """Mentees waiting for a mentor; offers declined or not answered in time (the next-best was asked)."""
    items = []
    stmt = queries.waiting_mentees_stmt()
    waiting = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if waiting:
        oldest = db.session.scalar(stmt.with_only_columns(func.min(Mentee.responded_on)).order_by(None))
        items.append(
            dict(
                kind="mentees_waiting",
                text=f"{waiting} {'mentee is' if waiting == 1 else 'mentees are'} waiting for a mentor",
                href=path_to("mentoring.review_batch"),
                at=oldest or on,
                count=waiting,
                oldest=oldest,
            )
        )
    since = on - timedelta(days=14)
    turned = (
        db.session.scalar(
            select(func.count()).where(
                or_(Match.status == MatchStatus.DECLINED, Match.status == MatchStatus.TIMED_OUT),
                Match.respond_by >= since,
            )
        )
        or 0
    )
    if turned:
        items.append(
            dict(
                kind="mentoring_declined",
                text=f"{turned} mentoring {'offer was' if turned == 1 else 'offers were'} "
                "declined or not answered in the last 2 weeks",
                href=path_to("mentoring.list_mentees"),
                at=on,
                count=turned,
            )
        )
    return items
