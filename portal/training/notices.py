"""What people are told about their bookings, by email and in Hearth, in one place. Texts name the course and the
date only: nothing about children, and the joining link only to the person booked (in their reminder)."""

from __future__ import annotations

from portal.core.links import path_to, url_to
from portal.core.notice_kinds import TRAINING_CANCELLED, TRAINING_PLACE, TRAINING_REMINDER
from portal.core.notify import notify_in_app, send_email
from portal.core.templating import uk_date, uk_datetime
from portal.training.models import Booking


def _texts(booking: Booking, kind: str) -> tuple[str, str]:
    session = booking.session
    course, when = session.course.title, uk_datetime(session.starts_at)
    return {
        "place_booked": (
            f"You have a place on {course}",
            f"A place came free and you are now booked on {course} on {when}.",
        ),
        "place_offered": (
            f"A place is offered to you on {course}",
            f"A place came free on {course} on {when}. It is held for you until "
            f"{uk_datetime(booking.offer_expires_at)}: accept it or let it go to the next person waiting.",
        ),
        "offer_lapsed": (
            f"The place offered on {course} has gone",
            f"The place offered to you on {course} on {when} was not taken in time, so it has gone to the next "
            "person waiting.",
        ),
        "booking_moved": (
            f"Your training booking has changed: {course}",
            f"The training team has moved your booking to {course} on {when} ({booking.status_label.lower()}).",
        ),
        "session_cancelled": (
            f"Cancelled: {course} on {uk_date(session.starts_at)}",
            f"{course} on {when} has been cancelled. {session.cancel_reason or ''} Choose another date in the "
            "training catalogue.",
        ),
    }[kind]


def _kind(text_kind: str) -> str:
    # A place booked, offered or lapsed comes from the waiting list; a cancelled or moved session is a change.
    return TRAINING_CANCELLED.name if text_kind in ("session_cancelled", "booking_moved") else TRAINING_PLACE.name


def tell(booking: Booking, kind: str) -> None:
    """Email and an in-app notice to the person booked, queued with the caller's transaction."""
    subject, text = _texts(booking, kind)
    link = path_to("training.show_session", session_id=booking.session_id)
    notify_in_app(booking.user_id, text, link, kind=_kind(kind))
    send_email(
        booking.user.email,
        subject,
        "training_notice",
        name=booking.user.full_name,
        text=text,
        link=url_to("training.show_session", session_id=booking.session_id),
        kind=_kind(kind),
    )


def remind(booking: Booking, which: str) -> None:
    """The reminder a week or a day before: when and where, and the joining link for a live online session."""
    session = booking.session
    subject = f"Reminder: {session.course.title} {'next week' if which == 'week' else 'tomorrow'}"
    where = (
        f"Join online: {session.joining_link}"
        if session.joining_link
        else f"At {session.venue_name}, {session.venue_address}".strip(", ")
    )
    parts = "\n".join(f"- {uk_datetime(p.starts_at)} to {uk_datetime(p.ends_at)}" for p in session.parts)
    text = f"You are booked on {session.course.title}.\n{parts}\n{where}"
    notify_in_app(
        booking.user_id,
        f"Reminder: {session.course.title} on {uk_datetime(session.starts_at)}",
        path_to("training.show_session", session_id=session.id),
        kind=TRAINING_REMINDER.name,
    )
    send_email(
        booking.user.email,
        subject,
        "training_notice",
        name=booking.user.full_name,
        text=text,
        link=url_to("training.show_session", session_id=session.id),
        kind=TRAINING_REMINDER.name,
    )
