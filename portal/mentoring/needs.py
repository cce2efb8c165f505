"""What mentoring asks of a person now, for the home page's "what needs me" list (wired in portal.app).

Each source gives plain dicts with the fields of portal.hub.needs.Need (kind, text, href, at, count), so this
feature need not import the hub. The person's own sources are row sources (PERSON_ROW_SOURCES: the hub reads them
with the person's other items in one statement); the coordinator's cost a fixed number of queries.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, bindparam, func, or_, select

from portal.core.db import db
from portal.core.links import path_to
from portal.core.need_rows import need_columns
from portal.mentoring import queries
from portal.mentoring.lifecycle import FIRST_CONTACT_DAYS
from portal.mentoring.models import Match, MatchStatus, Mentee

# Asked on every visit to a mentor's, applicant's or carer's home page: statements built once in the shape of
# portal.core.need_rows (the user is a bound parameter), reading only what the texts need.
_matches, _mentees = Match.__table__, Mentee.__table__
_REQUESTS = (
    select(
        *need_columns(
            ref=_matches.c.id, label=_mentees.c.full_name, day=_matches.c.respond_by, at=_matches.c.proposed_at
        )
    )
    .join_from(_matches, _mentees, _mentees.c.id == _matches.c.mentee_id)
    .where(_matches.c.mentor_id == bindparam("user_id"), _matches.c.status == MatchStatus.PROPOSED)
    .limit(5)
)
_UNREAD = select(*need_columns(count=queries.UNREAD_TOTAL.scalar_subquery(), day=bindparam("today", type_=Date())))
_FIRST_CONTACTS = (
    select(*need_columns(ref=_matches.c.id, label=_mentees.c.full_name, day=_matches.c.introduced_on))
    .join_from(_matches, _mentees, _mentees.c.id == _matches.c.mentee_id)
    .where(
        _matches.c.mentor_id == bindparam("user_id"),
        _matches.c.status == MatchStatus.INTRODUCED,
        _matches.c.first_contact_on.is_(None),
    )
    .limit(5)
)


def _request(row) -> dict:
    """A request to mentor someone, with the date to answer by."""
    return dict(
        kind="mentoring_request",
        text=f"Will you mentor {row.label}? Answer by {row.day:%-d %B %Y}",
        href=path_to("mentoring.show_match", match_id=row.ref),
        at=row.at,
    )


def _unread(row) -> dict | None:
    """Messages from the other person, in all the person's matches, not seen yet (none: no item)."""
    if not row.count:
        return None
    return dict(
        kind="mentoring_messages",
        text=f"{row.count} new mentoring {'message' if row.count == 1 else 'messages'}",
        href=path_to("mentoring.my_mentoring"),
        at=row.day,
        count=row.count,
    )


def _first_contact(row) -> dict:
    """A mentor introduced to a mentee who has not got in touch yet: due FIRST_CONTACT_DAYS after the introduction."""
    due = row.day + timedelta(days=FIRST_CONTACT_DAYS)
    return dict(
        kind="mentoring_first_contact",
        text=f"Get in touch with {row.label} by {due:%-d %B %Y}",
        href=path_to("mentoring.show_conversation", match_id=row.ref),
        at=row.day,
    )


# (name, statement, row -> item or None): a request to mentor someone, unread messages, a first contact due.
PERSON_ROW_SOURCES = (
    ("mentoring_requests", _REQUESTS, _request),
    ("mentoring_unread", _UNREAD, _unread),
    ("mentoring_first_contacts", _FIRST_CONTACTS, _first_contact),
)


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
