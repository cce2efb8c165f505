"""The coordinator's programme: courses and their sessions (with parts), and cancelling a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.core import audit, clock
from portal.core.db import db
from portal.core.unit_of_work import transactional
from portal.training.models import LIVE, Booking, Course, SessionPart, TrainingSession
from portal.training.notices import tell


class ProgrammeRefused(ValueError):
    """A rule said no; `field` names the form field it belongs to, if one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class CourseInput:
    title: str
    description: str
    topic: str
    audience: str
    format: str
    minutes: int
    tsd_standards: list[int]
    mandatory_for: list[str]
    expiry_months: int | None
    elearning_url: str | None
    is_active: bool = True


def _codes(values) -> str:
    values = [str(v) for v in values]
    return f",{','.join(values)}," if values else ""


@transactional
def save_course(actor: User, data: CourseInput, course: Course | None = None) -> Course:
    """Add a course, or change one (sessions already held keep their records as they were)."""
    course = course or Course()
    course.title, course.description, course.topic = data.title.strip(), data.description.strip(), data.topic.strip()
    course.audience, course.format, course.minutes = data.audience, data.format, data.minutes
    course.tsd_standards = _codes(sorted(data.tsd_standards))
    course.mandatory_for = _codes(data.mandatory_for)
    course.expiry_months, course.elearning_url, course.is_active = (
        data.expiry_months,
        data.elearning_url,
        data.is_active,
    )
    db.session.add(course)
    db.session.flush()
    audit.record(
        db.session, "training_course_saved", actor_id=actor.id, object_type="training_course", object_id=course.id
    )
    return course


@dataclass
class SessionInput:
    parts: list[tuple[datetime, datetime]]
    venue_name: str
    venue_address: str
    access_notes: str
    joining_link: str | None
    capacity: int
    trainer_name: str
    booking_deadline: datetime


@transactional
def save_session(
    actor: User, course: Course, data: SessionInput, session: TrainingSession | None = None
) -> TrainingSession:
    """Add a session of a course, or change one. Raises ProgrammeRefused: parts that end before they start or
    overlap, a new or moved part that is not in the future, a deadline after the start, or a capacity below the places already held."""
    parts = sorted(data.parts)
    if not parts:
        raise ProgrammeRefused("Enter when the session starts and ends", "part1_date")
    for start, end in parts:
        if end <= start:
            raise ProgrammeRefused("Each part must end after it starts", "part1_end")
    earlier = {(p.starts_at, p.ends_at) for p in session.parts} if session is not None else set()
    if any(start <= clock.now() for start, end in parts if (start, end) not in earlier):
        # A part kept as it was may be in the past (a session being corrected after it ran); a new one may not.
        raise ProgrammeRefused(
            "The session must be in the future: enter a date and time that is still to come", "part1_date"
        )
    for (_, end), (start, _) in zip(parts, parts[1:]):
        if start < end:
            raise ProgrammeRefused("The parts must not overlap", "part2_date")
    if data.booking_deadline > parts[0][0]:
        raise ProgrammeRefused("The booking deadline must be before the session starts", "deadline")
    if session is not None and data.capacity < session.booked_count:
        raise ProgrammeRefused(
            f"{session.booked_count} places are already taken: the capacity cannot be lower than that", "capacity"
        )
    session = session or TrainingSession(course_id=course.id, booked_count=0, waiting_seq=0)
    session.starts_at, session.ends_at = parts[0][0], parts[-1][1]
    session.venue_name, session.venue_address = data.venue_name.strip(), data.venue_address.strip()
    session.access_notes, session.joining_link = data.access_notes.strip(), data.joining_link or None
    session.capacity, session.trainer_name, session.booking_deadline = (
        data.capacity,
        data.trainer_name,
        data.booking_deadline,
    )
    session.parts = [SessionPart(starts_at=s, ends_at=e) for s, e in parts]
    db.session.add(session)
    db.session.flush()
    audit.record(
        db.session, "training_session_saved", actor_id=actor.id, object_type="training_session", object_id=session.id
    )
    return session


@transactional
def cancel_session(actor: User, session: TrainingSession, reason: str, *, now: datetime | None = None) -> int:
    """Cancel a session: everyone booked, offered a place or waiting is told (email and in Hearth). Their bookings
    stay as they were, under a cancelled session, so the history shows who was affected. Returns how many were told.
    Raises ProgrammeRefused for a session already cancelled or over."""
    now = now or clock.now()
    if session.is_cancelled:
        raise ProgrammeRefused("This session is already cancelled")
    if session.ends_at <= now:
        raise ProgrammeRefused("This session has already taken place")
    session.cancelled_at, session.cancel_reason = now, reason.strip() or None
    affected = list(
        db.session.scalars(select(Booking).where(Booking.session_id == session.id, Booking.status.in_(LIVE)))
    )
    for booking in affected:
        tell(booking, "session_cancelled")
    audit.record(
        db.session,
        "training_session_cancelled",
        actor_id=actor.id,
        object_type="training_session",
        object_id=session.id,
        told=len(affected),
    )
    return len(affected)
