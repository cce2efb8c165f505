"""Training bookings as calendar events: one per part of a session, for the booking's .ics and the person's feed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core import clock
from portal.core.calendar import CalendarEvent
from portal.core.db import db
from portal.core.links import url_to
from portal.training.models import Booking, BookingStatus, CourseFormat, TrainingSession

# Confirmed places only: an offered place is not the person's until they accept it, so it is not in their calendar.
IN_FEED = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.PARTLY)
NOT_CONFIRMED = (BookingStatus.OFFERED, BookingStatus.WAITING)


def booking_events(booking: Booking, *, with_link: bool) -> list[CalendarEvent]:
    """Each part of the booked session. The joining link goes only into a file the booked person downloads
    (`with_link`), never into the feed, which is read without signing in."""
    session = booking.session
    course = session.course
    if course.format == CourseFormat.VENUE:
        location = ", ".join(x for x in (session.venue_name, session.venue_address.replace("\n", ", ")) if x)
    else:
        location = "Online"
    description = course.description[:500]
    if with_link and session.joining_link:
        description = f"Join online: {session.joining_link}\n\n{description}"
    if session.access_notes and course.format == CourseFormat.VENUE:
        description = f"{description}\n\nAccess: {session.access_notes}"
    count = len(session.parts)
    return [
        CalendarEvent(
            uid=f"training-booking-{booking.id}-part-{n}@hearth",
            title=course.title if count == 1 else f"{course.title} (part {n} of {count})",
            start=part.starts_at,
            end=part.ends_at,
            location=location,
            description=description.strip(),
            url=url_to("training.show_session", session_id=session.id),
            cancelled=session.is_cancelled or booking.status not in IN_FEED,
            sequence=1 if session.is_cancelled else 0,
        )
        for n, part in enumerate(session.parts, start=1)
    ]


def feed_events(user_id: int) -> list[CalendarEvent]:
    """The person's bookings from 30 days ago on (bounded: the 100 nearest), for their calendar feed."""
    since = clock.now() - timedelta(days=30)
    bookings = db.session.scalars(
        select(Booking)
        .join(Booking.session)
        .where(Booking.user_id == user_id, Booking.status.in_(IN_FEED), TrainingSession.ends_at >= since)
        .order_by(TrainingSession.starts_at)
        .limit(100)
    )
    return [event for booking in bookings for event in booking_events(booking, with_link=False)]
