"""Rows the training tests need: a course and a session at a given time, with plain arguments."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.core.clock import now
from portal.core.db import db
from portal.training.models import Course, SessionPart, TrainingSession


def make_course(title: str = "First aid for carers", **kw) -> Course:
    course = Course(
        title=title,
        description=kw.pop("description", "A day of first aid."),
        topic=kw.pop("topic", "Health"),
        audience=kw.pop("audience", "everyone"),
        format=kw.pop("format", "venue"),
        minutes=kw.pop("minutes", 360),
        tsd_standards=kw.pop("tsd_standards", ",3,"),
        mandatory_for=kw.pop("mandatory_for", ""),
        expiry_months=kw.pop("expiry_months", None),
        **kw,
    )
    db.session.add(course)
    db.session.commit()
    return course


def make_session(
    course: Course | None = None,
    *,
    starts_in: timedelta = timedelta(days=14),
    hours: int = 6,
    capacity: int = 10,
    deadline_before: timedelta = timedelta(days=2),
    start: datetime | None = None,
    joining_link: str | None = None,
) -> TrainingSession:
    course = course or make_course()
    start = start or (now() + starts_in).replace(microsecond=0)
    end = start + timedelta(hours=hours)
    session = TrainingSession(
        course_id=course.id,
        starts_at=start,
        ends_at=end,
        venue_name="Civic Centre",
        venue_address="1 High Street, Anytown AN1 1AA",
        access_notes="Step-free entrance on the left",
        joining_link=joining_link,
        capacity=capacity,
        booked_count=0,
        waiting_seq=0,
        trainer_name="Sam Trainer",
        booking_deadline=start - deadline_before,
        parts=[SessionPart(starts_at=start, ends_at=end)],
    )
    db.session.add(session)
    db.session.commit()
    return session
