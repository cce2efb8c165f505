"""A conversation per match: messages (text and one attachment through the upload pipeline), read marks, reports,
and the safeguarding prompt. Notices of a new message never carry its content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to, url_to
from portal.core.notice_kinds import MENTORING_MESSAGE
from portal.core.notify import notify_in_app, send_email
from portal.core.unit_of_work import transactional
from portal.core.uploads import receive, start_processing
from portal.mentoring.lifecycle import note_first_contact, tell_coordinators
from portal.mentoring.models import Match, Message, MessageReport, ReadMark
from portal.mentoring.policy import can_send_message, is_in_match

MAX_MESSAGE = 5000
NEW_MESSAGE_NOTICE = "You have a new message in Hearth"

# Words that suggest a child may be at risk. Matching one does not stop the message: it shows the sender at once how
# to reach the child's social worker or the out-of-hours line (Working Together to Safeguard Children 2023: anyone
# worried about a child should tell children's social care without delay).
SAFEGUARDING_PATTERNS = [
    r"\bat risk\b",
    r"\bnot safe\b",
    r"\bunsafe\b",
    r"\babus\w*",
    r"\bhurt\w*",
    r"\bhit (me|him|her|them)\b",
    r"\bself[- ]harm\w*",
    r"\bsuicid\w*",
    r"\bkill (my|him|her|them)sel\w*",
    r"\brun(ning)? away\b",
    r"\bmissing\b",
    r"\bneglect\w*",
    r"\bsexual\w*",
    r"\bgroom\w*",
    r"\bbruis\w*",
    r"\bexploit\w*",
    r"\bscared to go home\b",
]
_SAFEGUARDING = re.compile("|".join(SAFEGUARDING_PATTERNS), re.IGNORECASE)


def mentions_safeguarding(text: str) -> bool:
    return bool(_SAFEGUARDING.search(text or ""))


class MessageRefused(ValueError):
    def __init__(self, message: str, field: str | None = "body"):
        super().__init__(message)
        self.field = field


@dataclass
class Attachment:
    stream: BinaryIO
    filename: str | None


@dataclass
class Sent:
    message: Message
    safeguarding: bool


def _mark_read(user_id: int, match_id: int, up_to: int) -> None:
    mark = db.session.scalar(select(ReadMark).where(ReadMark.match_id == match_id, ReadMark.user_id == user_id))
    if mark is None:
        try:
            with db.session.begin_nested():
                db.session.add(ReadMark(match_id=match_id, user_id=user_id, last_read_id=up_to))
            return
        except IntegrityError:
            mark = db.session.scalar(select(ReadMark).where(ReadMark.match_id == match_id, ReadMark.user_id == user_id))
    if mark.last_read_id < up_to:
        mark.last_read_id = up_to


def _had_unread(user_id: int, match: Match, before_id: int) -> bool:
    last = (
        db.session.scalar(
            select(ReadMark.last_read_id).where(ReadMark.match_id == match.id, ReadMark.user_id == user_id)
        )
        or 0
    )
    return bool(
        db.session.scalar(
            select(Message.id)
            .where(
                Message.match_id == match.id, Message.sender_id != user_id, Message.id > last, Message.id < before_id
            )
            .limit(1)
        )
    )


@transactional
def send_message(actor: User, match: Match, body: str, attachment: Attachment | None = None) -> Sent:
    """Add a message. The other person is told (in the app, and by email when it is their first unread message)
    without its content. Raises MessageRefused, or UploadRejected for a file the pipeline refuses."""
    if not can_send_message(actor, match):
        raise MessageRefused("This match has ended: the conversation can be read but no new messages can be sent")
    body = (body or "").strip()
    if not body and attachment is None:
        raise MessageRefused("Write a message or add a file")
    if len(body) > MAX_MESSAGE:
        raise MessageRefused(f"A message can be up to {MAX_MESSAGE:,} characters")
    stored = None
    if attachment is not None:
        stored = receive(
            actor, attachment.stream, attachment.filename, purpose="mentoring_message", prefix=f"mentoring/{match.id}"
        )
    message = Message(match_id=match.id, sender_id=actor.id, body=body, file=stored, sent_at=utcnow())
    db.session.add(message)
    db.session.flush()
    _mark_read(actor.id, match.id, message.id)
    note_first_contact(match, today())
    other = match.mentee_user_id if actor.id == match.mentor_id else match.mentor_id
    if other is not None:
        link = path_to("mentoring.show_conversation", match_id=match.id)
        notify_in_app(other, NEW_MESSAGE_NOTICE, link, kind=MENTORING_MESSAGE.name)
        recipient = db.session.get(User, other)
        if recipient is not None and recipient.is_active and not _had_unread(other, match, message.id):
            send_email(
                recipient.email,
                NEW_MESSAGE_NOTICE,
                "mentoring_new_message",
                name=recipient.full_name,
                link=url_to("mentoring.show_conversation", match_id=match.id),
                kind=MENTORING_MESSAGE.name,
            )
    if stored is not None:
        start_processing(stored)
    return Sent(message, mentions_safeguarding(body))


@transactional
def mark_read(actor: User, match: Match, up_to: int) -> None:
    if not is_in_match(actor, match):
        raise MessageRefused("You are not in this conversation")
    _mark_read(actor.id, match.id, up_to)


@transactional
def report_message(actor: User, match: Match, message: Message, reason: str) -> MessageReport:
    """Either person reports a message from the other; the coordinator may then read that message."""
    if not is_in_match(actor, match):
        raise MessageRefused("You are not in this conversation")
    if message.sender_id == actor.id:
        raise MessageRefused("You cannot report your own message", "reason")
    reason = (reason or "").strip()
    if not reason:
        raise MessageRefused("Say what worries you about this message", "reason")
    existing = db.session.scalar(
        select(MessageReport).where(MessageReport.message_id == message.id, MessageReport.reported_by_id == actor.id)
    )
    if existing is not None:
        return existing
    report = MessageReport(message_id=message.id, reported_by_id=actor.id, reason=reason[:1000])
    db.session.add(report)
    db.session.flush()
    tell_coordinators("A mentoring message has been reported", path_to("mentoring.show_report", report_id=report.id))
    audit.record(
        db.session,
        "mentoring_message_reported",
        actor_id=actor.id,
        object_type="mentoring_message",
        object_id=message.id,
    )
    return report


@transactional
def close_report(actor: User, report: MessageReport) -> None:
    if report.reviewed_at is None:
        report.reviewed_at, report.reviewed_by_id = utcnow(), actor.id
    audit.record(
        db.session, "mentoring_report_closed", actor_id=actor.id, object_type="mentoring_report", object_id=report.id
    )
