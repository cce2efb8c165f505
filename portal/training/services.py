"""Booking use cases: book (places held exactly to capacity), join and leave the waiting list, cancel, answer an
offer, and the coordinator's moves. A freed place goes to the first person waiting at once, or, close to the session,
is offered to them and moves on when not taken (portal.training.rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.core import audit, clock
from portal.core.db import db
from portal.core.templating import uk_date, uk_datetime
from portal.core.unit_of_work import transactional
from portal.people.queries import household_of
from portal.training.models import (
    ATTENDANCE,
    LIVE,
    Booking,
    BookingStatus,
    TrainingSession,
)
from portal.training.notices import tell
from portal.training.queries import audiences_for, is_training_staff, people_bookable_by
from portal.training.rules import OFFER_HOLD, OFFER_LAST_CALL, OFFER_WINDOW

ENDED = (BookingStatus.CANCELLED, BookingStatus.LATE_CANCELLED, BookingStatus.LAPSED)


class BookingRefused(ValueError):
    """A rule said no; the message is for the person. `waiting_list` is True when joining the waiting list is the
    way on (the session is full but still open)."""

    def __init__(self, message: str, waiting_list: bool = False):
        super().__init__(message)
        self.waiting_list = waiting_list


@dataclass
class Outcome:
    booking: Booking
    created: bool  # False: this person was already booked or waiting (a double tap, a retry)


def why_closed(session: TrainingSession, now: datetime) -> str | None:
    """Why a carer or applicant cannot book this session (or join its waiting list) now, or None.

    The booking deadline is the last day to book: booking closes at the end of it (`booking_deadline` is the
    midnight after it, London time). After that only the training team can add someone (`book(..., override=True)`,
    or moving a person from another session); people already waiting keep their place in the waiting list."""
    if session.is_cancelled:
        return "This session has been cancelled, so it cannot be booked. Choose another date"
    if session.starts_at <= now:
        return "This session has already taken place, so it cannot be booked"
    if session.booking_deadline <= now:
        last_day = session.booking_last_day
        when = (
            f"the last day to book was {uk_date(last_day)}"
            if last_day
            else f"it closed on {uk_datetime(session.booking_deadline)}"
        )
        return (
            f"Booking for this session has closed: {when}. If you still hope to come, contact the training team, "
            "who may be able to add you if there is room"
        )
    return None


def _lock(session: TrainingSession) -> None:
    """Take the session row's lock for the rest of the transaction (PostgreSQL: SELECT ... FOR UPDATE; SQLite
    serialises writers itself), so waiting-list moves on one session happen one at a time."""
    db.session.execute(select(TrainingSession.id).where(TrainingSession.id == session.id).with_for_update())


def _take_place(session_id: int) -> bool:
    """Hold one place if one is left: a conditional UPDATE, so under any load no more than the capacity is held."""
    result = db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.booked_count < TrainingSession.capacity)
        .values(booked_count=TrainingSession.booked_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_place(session_id: int) -> None:
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.booked_count > 0)
        .values(booked_count=TrainingSession.booked_count - 1)
        .execution_options(synchronize_session=False)
    )


def _next_rank(session_id: int) -> int:
    return db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id)
        .values(waiting_seq=TrainingSession.waiting_seq + 1)
        .returning(TrainingSession.waiting_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _claim_row(actor: User, session: TrainingSession, person: User, household_id: int | None) -> Outcome:
    """The person's booking row, claimed for a new booking; or their live booking as it is (created=False)."""
    existing = db.session.scalar(select(Booking).where(Booking.session_id == session.id, Booking.user_id == person.id))
    if existing is None:
        booking = Booking(
            session_id=session.id,
            user_id=person.id,
            household_id=household_id,
            booked_by_id=actor.id,
            status=BookingStatus.WAITING,
        )
        try:
            with db.session.begin_nested():
                db.session.add(booking)
        except IntegrityError:  # the same person booked at the same moment (a double tap): theirs stands
            existing = db.session.scalar(
                select(Booking).where(Booking.session_id == session.id, Booking.user_id == person.id)
            )
            return Outcome(existing, False)
        return Outcome(booking, True)
    if existing.status in ATTENDANCE:
        raise BookingRefused(f"{person.full_name} has already been on this session")
    claimed = db.session.execute(
        update(Booking)
        .where(Booking.id == existing.id, Booking.status.in_(ENDED))
        .values(status=BookingStatus.WAITING, booked_by_id=actor.id, cancelled_at=None, offer_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(existing)
    return Outcome(existing, claimed.rowcount == 1)


def _place_or_wait(booking: Booking, session_id: int) -> None:
    if _take_place(session_id):
        booking.status, booking.waiting_rank = BookingStatus.BOOKED, None
    else:
        booking.status, booking.waiting_rank = BookingStatus.WAITING, _next_rank(session_id)


@transactional
def book(
    actor: User, session: TrainingSession, people: list[User], *, now: datetime | None = None, override: bool = False
) -> list[Outcome]:
    """Book each person a place, or a place in the waiting list when the session is full (in the order they asked).

    Booking the same person again is harmless: their booking is returned as it is (created=False). `override` lets
    training staff book after the deadline. Raises BookingRefused for a cancelled, past or closed session, someone
    the actor may not book, or a course not for them (applicants' courses, and courses for carers).
    """
    now = now or clock.now()
    problem = why_closed(session, now)
    if problem and not (override and not session.is_cancelled and session.starts_at > now):
        raise BookingRefused(problem)
    allowed = {p.id for p in people_bookable_by(actor)}
    outcomes = []
    for person in people:
        if person.id not in allowed and not is_training_staff(actor):
            raise BookingRefused("You can book only yourself and the other carer in your household")
        audiences = audiences_for(person)
        if audiences is not None and session.course.audience not in audiences:
            raise BookingRefused(f"This course is not open to {person.full_name}")
        household = household_of(person)
        outcome = _claim_row(actor, session, person, household.id if household else None)
        if outcome.created:
            _place_or_wait(outcome.booking, session.id)
        outcomes.append(outcome)
    db.session.flush()
    db.session.expire(session, ["booked_count", "waiting_seq"])
    return outcomes


def _fill_place(session: TrainingSession, now: datetime) -> Booking | None:
    """Give a free place to the first person waiting: booked at once, or offered when the session is near.

    This goes on after the booking deadline: the people waiting asked before booking closed, and a place freed
    close to the session is exactly the one the rules offer with a time limit (OFFER_WINDOW, OFFER_HOLD). Only new
    bookings and new places in the waiting list stop at the deadline (`why_closed`)."""
    if session.is_cancelled or session.starts_at - OFFER_LAST_CALL <= now:
        return None
    first = db.session.scalar(
        select(Booking)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.WAITING)
        .order_by(Booking.waiting_rank, Booking.id)
        .limit(1)
    )
    if first is None or not _take_place(session.id):
        return None
    first.waiting_rank = None
    if session.starts_at - now > OFFER_WINDOW:
        first.status = BookingStatus.BOOKED
        tell(first, "place_booked")
    else:
        first.status = BookingStatus.OFFERED
        first.offer_expires_at = min(now + OFFER_HOLD, session.starts_at - OFFER_LAST_CALL)
        tell(first, "place_offered")
    return first


def _free_place(session: TrainingSession, now: datetime) -> None:
    _release_place(session.id)
    _fill_place(session, now)
    db.session.expire(session, ["booked_count"])


@transactional
def cancel_booking(actor: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    """Cancel a place or leave the waiting list. After the booking deadline a place cancelled is a late cancellation
    (shown to the coordinator). The freed place goes to the first person waiting. Raises BookingRefused when there is
    nothing to cancel or the session has started."""
    now = now or clock.now()
    session = booking.session
    _lock(session)
    db.session.refresh(booking)
    if booking.status not in LIVE:
        raise BookingRefused("This booking is not active, so there is nothing to cancel")
    if session.starts_at <= now:
        raise BookingRefused("The session has started, so the booking can no longer be cancelled")
    held = booking.holds_place
    late = booking.status == BookingStatus.BOOKED and session.booking_deadline <= now
    booking.status = BookingStatus.LATE_CANCELLED if late else BookingStatus.CANCELLED
    booking.waiting_rank, booking.offer_expires_at, booking.cancelled_at = None, None, now
    if held:
        _free_place(session, now)
    return booking


@transactional
def accept_offer(actor: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    now = now or clock.now()
    _lock(booking.session)
    db.session.refresh(booking)
    if booking.status != BookingStatus.OFFERED:
        raise BookingRefused("There is no place waiting for an answer on this booking")
    if booking.offer_expires_at <= now:
        raise BookingRefused("Sorry, the offer ran out and the place has gone to the next person waiting")
    booking.status, booking.offer_expires_at = BookingStatus.BOOKED, None
    return booking


@transactional
def decline_offer(actor: User, booking: Booking, *, now: datetime | None = None) -> Booking:
    now = now or clock.now()
    _lock(booking.session)
    db.session.refresh(booking)
    if booking.status != BookingStatus.OFFERED:
        raise BookingRefused("There is no place waiting for an answer on this booking")
    booking.status, booking.offer_expires_at, booking.cancelled_at = BookingStatus.LAPSED, None, now
    _free_place(booking.session, now)
    return booking


@transactional
def expire_offers(now: datetime | None = None, limit: int = 200) -> int:
    """Offers not answered in time lapse and the place moves on to the next person waiting. Returns how many lapsed.
    Idempotent: an offer already answered or lapsed is left alone."""
    now = now or clock.now()
    lapsed = 0
    for booking in db.session.scalars(
        select(Booking)
        .where(Booking.status == BookingStatus.OFFERED, Booking.offer_expires_at <= now)
        .order_by(Booking.offer_expires_at)
        .limit(limit)
    ).all():
        _lock(booking.session)
        db.session.refresh(booking)
        if booking.status != BookingStatus.OFFERED:
            continue
        booking.status, booking.offer_expires_at, booking.cancelled_at = BookingStatus.LAPSED, None, now
        tell(booking, "offer_lapsed")
        _free_place(booking.session, now)
        lapsed += 1
    return lapsed


@transactional
def move_booking(actor: User, booking: Booking, target: TrainingSession, *, now: datetime | None = None) -> Booking:
    """The coordinator moves a person to another session: their place or waiting-list place here is given up (and
    passes on), and they get a place there, or join its waiting list when it is full. Raises BookingRefused."""
    now = now or clock.now()
    if target.id == booking.session_id:
        raise BookingRefused("Choose a different session to move them to")
    if target.is_cancelled or target.starts_at <= now:
        raise BookingRefused("The session to move them to has been cancelled or has already taken place")
    if booking.status not in LIVE:
        raise BookingRefused("Only a booking or a place in the waiting list can be moved")
    person = booking.user
    cancel_booking(actor, booking, now=now)
    booking.status = BookingStatus.CANCELLED  # moved on, not a late cancellation by the carer
    (outcome,) = book(actor, target, [person], now=now, override=True)
    audit.record(
        db.session,
        "training_booking_moved",
        actor_id=actor.id,
        object_type="training_booking",
        object_id=booking.id,
        to_booking=outcome.booking.id,
    )
    tell(outcome.booking, "booking_moved")
    return outcome.booking


@transactional
def move_in_waiting_list(actor: User, booking: Booking, direction: str) -> None:
    """Swap a waiting person with the one ahead ("up") or behind ("down"); nothing happens at either end."""
    _lock(booking.session)
    db.session.refresh(booking)
    if booking.status != BookingStatus.WAITING:
        raise BookingRefused("Only people on the waiting list can be moved up or down")
    up = direction == "up"
    neighbour = db.session.scalar(
        select(Booking)
        .where(
            Booking.session_id == booking.session_id,
            Booking.status == BookingStatus.WAITING,
            Booking.waiting_rank < booking.waiting_rank if up else Booking.waiting_rank > booking.waiting_rank,
        )
        .order_by(Booking.waiting_rank.desc() if up else Booking.waiting_rank)
        .limit(1)
    )
    if neighbour is not None:
        booking.waiting_rank, neighbour.waiting_rank = neighbour.waiting_rank, booking.waiting_rank
