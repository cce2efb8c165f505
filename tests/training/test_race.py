"""Real concurrent bookings on PostgreSQL: exactly the capacity is booked, the rest wait in order, a double tap
from many threads books once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.training import services
from portal.training.models import Booking, BookingStatus, TrainingSession
from tests.concurrency import run_together
from tests.factories import make_household, make_user
from tests.training.helpers import make_session

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if db.dialect != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; SQLite serialises every writer")


def test_fifty_people_booking_ten_places_at_once_book_exactly_ten_and_forty_wait_in_order(app):
    people = [make_user(Role.CARER, name=f"Racer {i}") for i in range(50)]
    for person in people:
        make_household(person)
    ids = [p.id for p in people]
    session_id = make_session(capacity=10).id

    def book(i):
        person = db.session.get(User, ids[i])
        session = db.session.get(TrainingSession, session_id)
        return services.book(person, session, [person])[0].booking.status

    results = run_together(app, book, 50)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    rows = db.session.scalars(select(Booking).where(Booking.session_id == session_id)).all()
    assert sum(1 for b in rows if b.status == BookingStatus.BOOKED) == 10
    waiting = sorted(b.waiting_rank for b in rows if b.status == BookingStatus.WAITING)
    assert waiting == list(range(1, 41))  # forty waiting, each with their own place in the queue
    assert db.session.get(TrainingSession, session_id).booked_count == 10
    # The queue moves in the order people joined it.
    first = min((b for b in rows if b.status == BookingStatus.WAITING), key=lambda b: b.waiting_rank)
    booked = next(b for b in rows if b.status == BookingStatus.BOOKED)
    services.cancel_booking(booked.user, booked)
    db.session.expire_all()
    assert db.session.get(Booking, first.id).status == BookingStatus.BOOKED


def test_a_double_tap_from_many_threads_books_once(app):
    person = make_user(Role.CARER)
    make_household(person)
    person_id, session_id = person.id, make_session(capacity=3).id

    def book(_):
        me = db.session.get(User, person_id)
        return services.book(me, db.session.get(TrainingSession, session_id), [me])[0].created

    results = run_together(app, book, 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Booking.id))) == 1
    assert db.session.get(TrainingSession, session_id).booked_count == 1
