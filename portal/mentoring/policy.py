"""Who may see and act on mentoring objects: pure predicates, and loaders that answer 404 for what is not yours."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.mentoring.models import Match, Mentee, MentorProfile, Message, MessageReport

COORDINATORS = (Role.MENTORING_COORDINATOR,)
# Staff who invite applicants and record their approval.
APPROVERS = (Role.MENTORING_COORDINATOR, Role.ADMIN)
# Those who may be in a conversation: a mentor, and a mentee who is an applicant or a carer.
TALKERS = (Role.MENTOR, Role.APPLICANT, Role.CARER)


def is_coordinator(user: User) -> bool:
    return user.has_role(*COORDINATORS)


def is_in_match(user: User, match: Match) -> bool:
    """Only the two people in a match are in its conversation."""
    return user.id in (match.mentor_id, match.mentee_user_id)


def can_read_conversation(user: User, match: Match) -> bool:
    """The two people, for as long as the match's history is kept (also after it ends). Nobody else, not even the
    coordinator: they read a reported message on its own (`can_read_report`)."""
    return is_in_match(user, match) and match.status not in ("proposed", "declined", "timed_out")


def can_send_message(user: User, match: Match) -> bool:
    return is_in_match(user, match) and match.can_talk


def can_read_report(user: User, report: MessageReport) -> bool:
    return is_coordinator(user)


def can_log_contact(user: User, match: Match) -> bool:
    return user.id == match.mentor_id and match.can_talk


def load_match_as_person(user: User, match_id: int) -> Match:
    """A match the user is in (mentor or mentee), else 404."""
    match = db.session.get(Match, match_id)
    if match is None or not is_in_match(user, match):
        not_found(user, "mentoring_match", match_id)
    return match


def load_conversation(user: User, match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or not can_read_conversation(user, match):
        not_found(user, "mentoring_conversation", match_id)
    return match


def load_match_for_coordinator(user: User, match_id: int) -> Match:
    match = db.session.get(Match, match_id) if is_coordinator(user) else None
    if match is None:
        not_found(user, "mentoring_match", match_id)
    return match


def load_mentee(user: User, mentee_id: int) -> Mentee:
    mentee = db.session.get(Mentee, mentee_id) if user.has_role(*APPROVERS) else None
    if mentee is None:
        not_found(user, "mentoring_mentee", mentee_id)
    return mentee


def load_report(user: User, report_id: int) -> MessageReport:
    report = db.session.get(MessageReport, report_id)
    if report is None or not can_read_report(user, report):
        not_found(user, "mentoring_report", report_id)
    return report


def load_message_in(user: User, match: Match, message_id: int) -> Message:
    message = db.session.scalar(select(Message).where(Message.id == message_id, Message.match_id == match.id))
    if message is None:
        not_found(user, "mentoring_message", message_id)
    return message


def own_profile(user: User) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


def report_match(report: MessageReport) -> Match:
    """The match a reported message belongs to (its two people's names are shown with the report)."""
    return db.session.get(Match, report.message.match_id)
