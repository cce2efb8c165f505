"""The booking deadline through the pages: booking is open all of the last day and closed after it, with a kind
message and no Book button; the waiting list still moves on after the deadline; the training team can still move
someone onto a closed session."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core import clock
from portal.core.db import db
from portal.training import services
from portal.training.models import Booking, BookingStatus
from tests.factories import make_household, make_user
from tests.pages import text_of
from tests.training.helpers import make_course, make_session


def _carer(name: str):
    carer = make_user(Role.CARER, name=name)
    make_household(carer)
    return carer


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text).group(1)


def _closing_session(capacity: int = 10, starts_in: timedelta = timedelta(days=5)):
    """A session whose last day to book is two days before it, as the session form sets it (midnight after)."""
    session = make_session(capacity=capacity, starts_in=starts_in)
    last_day = (session.starts_at.astimezone(clock.LONDON) - timedelta(days=2)).date()
    session.booking_deadline = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.LONDON)
    db.session.commit()
    return session, last_day


def _stand_clock_at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_booking_is_open_all_of_the_last_day_and_refused_kindly_after_it(app, client, monkeypatch):
    session, last_day = _closing_session()
    path = f"/training/sessions/{session.id}"
    early, late = _carer("Early Bird"), _carer("Late Comer")

    _stand_clock_at(monkeypatch, datetime.combine(last_day, time(23, 59), tzinfo=clock.LONDON))
    client.sign_in(early)
    client.post(f"{path}/book", data={"csrf_token": _token(client, path), "people": str(early.id)})
    assert db.session.scalar(select(Booking.status).where(Booking.user_id == early.id)) == BookingStatus.BOOKED

    _stand_clock_at(monkeypatch, datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.LONDON))
    client = app.test_client()
    client.sign_in(late)
    page = client.get(path)
    assert "Who is coming?" not in page.text and ">Book<" not in page.text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    # A form kept open from before the deadline: the post is refused, with the reason on the session page.
    refused = client.post(f"{path}/book", data={"csrf_token": token, "people": str(late.id)}, follow_redirects=True)
    said = text_of(refused)
    assert f"Booking for this session has closed: the last day to book was {last_day.day} " in said
    assert "contact the training team" in said
    assert db.session.scalar(select(Booking).where(Booking.user_id == late.id)) is None


def test_the_catalogue_shows_booking_closed_and_offers_no_booking(app, client, monkeypatch):
    open_session = make_session(make_course("Life story work"), starts_in=timedelta(days=20))
    closed, last_day = _closing_session()
    _stand_clock_at(monkeypatch, datetime.combine(last_day + timedelta(days=1), time(9), tzinfo=clock.LONDON))
    client.sign_in(_carer("Browsing Carer"))
    page = client.get("/training")
    said = text_of(page)
    cards = said.split("Life story work")
    assert "Booking closed" in cards[0] and "Booking closed" not in cards[1]  # the closed one is the first aid card
    assert f"{open_session.places_left} places left" in cards[1]
    assert "/book" not in page.text
    assert "Booking closed" not in text_of(client.get(f"/training/sessions/{open_session.id}"))


def test_after_the_deadline_nobody_new_joins_the_waiting_list_but_it_still_moves_on(app, monkeypatch):
    session, last_day = _closing_session(capacity=1, starts_in=timedelta(days=2, hours=12))
    first, waiting, newcomer = _carer("First Booked"), _carer("Second Waiting"), _carer("Third Newcomer")
    before = datetime.combine(last_day, time(12), tzinfo=clock.LONDON)
    (booked,) = services.book(first, session, [first], now=before)
    (queued,) = services.book(waiting, session, [waiting], now=before)
    assert queued.booking.status == BookingStatus.WAITING

    after = datetime.combine(last_day + timedelta(days=1), time(10), tzinfo=clock.LONDON)
    try:
        services.book(newcomer, session, [newcomer], now=after)
    except services.BookingRefused as exc:
        assert "has closed" in str(exc) and not exc.waiting_list
    else:
        raise AssertionError("joined the waiting list after the deadline")

    # The place freed after the deadline, close to the session, is offered with a time limit, as before it.
    services.cancel_booking(first, booked.booking, now=after)
    db.session.expire_all()
    assert db.session.get(Booking, booked.booking.id).status == BookingStatus.LATE_CANCELLED
    offered = db.session.get(Booking, queued.booking.id)
    assert offered.status == BookingStatus.OFFERED
    assert offered.offer_expires_at == after + timedelta(hours=12)
    services.accept_offer(waiting, offered, now=after + timedelta(hours=1))
    db.session.expire_all()
    assert db.session.get(Booking, queued.booking.id).status == BookingStatus.BOOKED


def test_the_training_team_can_still_move_someone_onto_a_closed_session(app, client, monkeypatch):
    course = make_course("Safer caring")
    closed, last_day = _closing_session()
    closed.course_id = course.id
    later = make_session(course, starts_in=timedelta(days=30))
    db.session.commit()
    carer = _carer("Moving Carer")
    (outcome,) = services.book(carer, later, [carer])
    _stand_clock_at(monkeypatch, datetime.combine(last_day + timedelta(days=1), time(9), tzinfo=clock.LONDON))
    client.sign_in(make_user(Role.TRAINING_COORDINATOR))
    path = f"/training/bookings/{outcome.booking.id}/move"
    client.post(path, data={"csrf_token": _token(client, path), "target": str(closed.id)})
    moved = db.session.scalar(select(Booking).where(Booking.session_id == closed.id, Booking.user_id == carer.id))
    assert moved is not None and moved.status == BookingStatus.BOOKED
