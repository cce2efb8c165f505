"""Booking rules on both databases: places held exactly, the waiting list promoted in order, offers that move on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import now
from portal.core.db import db
from portal.training import services
from portal.training.models import Booking, BookingStatus
from portal.training.services import BookingRefused
from tests.factories import make_household, make_user
from tests.jobs import drain_jobs
from tests.training.helpers import make_course, make_session


def carers(n: int):
    people = [make_user(Role.CARER, name=f"Carer {i}") for i in range(n)]
    for person in people:
        make_household(person)
    return people


def test_a_carer_books_a_place_and_a_double_tap_books_once(app):
    (carer,) = carers(1)
    session = make_session(capacity=2)
    first = services.book(carer, session, [carer])
    again = services.book(carer, session, [carer])
    assert first[0].created and not again[0].created
    assert db.session.scalars(select(Booking)).all() == [first[0].booking]
    db.session.refresh(session)
    assert session.booked_count == 1 and first[0].booking.status == BookingStatus.BOOKED


def test_a_full_session_puts_people_on_the_waiting_list_in_order(app):
    people = carers(4)
    session = make_session(capacity=2)
    outcomes = [services.book(p, session, [p])[0].booking for p in people]
    assert [b.status for b in outcomes] == ["booked", "booked", "waiting", "waiting"]
    assert [b.waiting_rank for b in outcomes[2:]] == [1, 2]


def test_cancelling_gives_the_place_to_the_first_waiting_who_is_told(app, mail_dir):
    people = carers(4)
    session = make_session(capacity=2)
    bookings = [services.book(p, session, [p])[0].booking for p in people]
    services.cancel_booking(people[0], bookings[0])
    drain_jobs(app)
    db.session.expire_all()
    assert [db.session.get(Booking, b.id).status for b in bookings] == ["cancelled", "booked", "booked", "waiting"]
    assert any("You have a place" in p.read_text() for p in mail_dir.glob("*.eml"))


def test_close_to_the_session_a_freed_place_is_offered_and_moves_on_when_not_taken(app):
    people = carers(4)
    session = make_session(capacity=2, starts_in=timedelta(hours=30), deadline_before=timedelta(hours=1))
    bookings = [services.book(p, session, [p])[0].booking for p in people]
    t0 = now()
    services.cancel_booking(people[0], bookings[0], now=t0)
    db.session.expire_all()
    offered = db.session.get(Booking, bookings[2].id)
    assert offered.status == BookingStatus.OFFERED
    assert offered.offer_expires_at == t0 + timedelta(hours=12)
    assert services.expire_offers(now=t0 + timedelta(hours=11)) == 0
    assert services.expire_offers(now=t0 + timedelta(hours=12, minutes=1)) == 1
    db.session.expire_all()
    assert db.session.get(Booking, bookings[2].id).status == BookingStatus.LAPSED
    assert db.session.get(Booking, bookings[3].id).status == BookingStatus.OFFERED
    services.accept_offer(people[3], db.session.get(Booking, bookings[3].id), now=t0 + timedelta(hours=13))
    db.session.expire_all()
    assert db.session.get(Booking, bookings[3].id).status == BookingStatus.BOOKED
    db.session.refresh(session)
    assert session.booked_count == 2


@pytest.mark.parametrize(
    ("kind", "message"),
    [("cancelled", "cancelled"), ("past", "already taken place"), ("closed", "closed")],
)
def test_a_closed_cancelled_or_past_session_cannot_be_booked(app, kind, message):
    (carer,) = carers(1)
    if kind == "past":
        session = make_session(starts_in=timedelta(days=-1))
    elif kind == "closed":
        session = make_session(starts_in=timedelta(days=1), deadline_before=timedelta(days=2))
    else:
        session = make_session()
        session.cancelled_at = now()
        db.session.commit()
    with pytest.raises(BookingRefused, match=message):
        services.book(carer, session, [carer])


def test_applicants_see_and_book_only_courses_for_applicants(app):
    applicant = make_user(Role.APPLICANT)
    carer_course = make_course("Managing allegations", audience="mainstream")
    with pytest.raises(BookingRefused, match="not open"):
        services.book(applicant, make_session(carer_course), [applicant])
    skills = make_course("Skills to Foster", audience="applicants")
    (outcome,) = services.book(applicant, make_session(skills), [applicant])
    assert outcome.booking.household_id is None


def test_a_carer_books_the_other_carer_of_the_household_but_nobody_else(app):
    me, partner, stranger = make_user(Role.CARER), make_user(Role.CARER), make_user(Role.CARER)
    make_household(me, partner)
    make_household(stranger)
    session = make_session()
    assert len(services.book(me, session, [me, partner])) == 2
    with pytest.raises(BookingRefused, match="only yourself"):
        services.book(me, session, [stranger])


def test_the_coordinator_moves_someone_and_reorders_the_waiting_list(app):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    people = carers(4)
    full, other = make_session(capacity=1), make_session(capacity=5)
    bookings = [services.book(p, full, [p])[0].booking for p in people]
    services.move_in_waiting_list(trainer, bookings[3], "up")
    db.session.expire_all()
    assert db.session.get(Booking, bookings[3].id).waiting_rank < db.session.get(Booking, bookings[2].id).waiting_rank
    moved = services.move_booking(trainer, db.session.get(Booking, bookings[0].id), other)
    db.session.expire_all()
    assert moved.session_id == other.id and moved.status == BookingStatus.BOOKED
    # the freed place went to the first waiting (people[1]); people[3], moved up, is next
    assert db.session.get(Booking, bookings[1].id).status == BookingStatus.BOOKED
    from portal.training.queries import waiting_position

    assert waiting_position(db.session.get(Booking, bookings[3].id)) == 1


def test_cancelling_a_session_tells_everyone_booked_and_waiting_by_email_and_in_hearth(app, mail_dir):
    from portal.core.notify import Notification
    from portal.training.programme import ProgrammeRefused, cancel_session

    trainer = make_user(Role.TRAINING_COORDINATOR)
    people = carers(3)
    session = make_session(capacity=2)
    for p in people:
        services.book(p, session, [p])
    assert cancel_session(trainer, session, "The trainer is unwell") == 3
    drain_jobs(app)
    assert {n.user_id for n in db.session.scalars(select(Notification))} == {p.id for p in people}
    assert len([m for m in mail_dir.glob("*.eml") if "Cancelled:" in m.read_text()]) == 3
    with pytest.raises(ProgrammeRefused):
        cancel_session(trainer, session, "again")
    with pytest.raises(BookingRefused, match="cancelled"):
        services.book(people[0], session, [people[0]])
