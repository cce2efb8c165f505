"""Training pages through the client: booking twice books once, the joining link only for people booked, the
mileage claim started from a booking, and page query counts that do not grow with the data."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event, select

from portal.auth.roles import Role
from portal.core.clock import now as now_utc
from portal.core.db import db
from portal.training import attendance, services
from portal.training.models import Booking, SessionPart, TrainingSession
from tests.factories import make_household, make_user
from tests.training.helpers import make_course, make_session


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text).group(1)


def test_booking_twice_from_the_page_books_once_and_then_shows_the_joining_link(app, client):
    carer = make_user(Role.CARER)
    make_household(carer)
    session = make_session(make_course(format="online"), joining_link="https://meet.example.org/room-9")
    client.sign_in(carer)
    path = f"/training/sessions/{session.id}"
    assert "room-9" not in client.get(path).text
    token = _token(client, path)
    for _ in range(2):
        client.post(f"{path}/book", data={"csrf_token": token, "people": str(carer.id)})
    assert len(db.session.scalars(select(Booking)).all()) == 1
    assert "https://meet.example.org/room-9" in client.get(path).text
    (booking,) = db.session.scalars(select(Booking)).all()
    ics = client.get(f"/training/bookings/{booking.id}/calendar.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.data


def test_a_full_session_offers_the_waiting_list_and_a_closed_one_says_why(app, client):
    carer = make_user(Role.CARER)
    make_household(carer)
    client.sign_in(carer)
    full = make_session(capacity=1)
    other = make_user(Role.CARER)
    make_household(other)
    services.book(other, full, [other])
    assert "Join the waiting list" in client.get(f"/training/sessions/{full.id}").text
    closed = make_session(starts_in=timedelta(days=1), deadline_before=timedelta(days=2))
    assert "Booking for this session has closed" in client.get(f"/training/sessions/{closed.id}").text


def test_a_carer_who_attended_at_a_venue_starts_a_mileage_claim_filled_in(app, client):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    carer = make_user(Role.CARER)
    make_household(carer)
    session = make_session(make_course("Life story work"), starts_in=timedelta(days=3))
    (outcome,) = services.book(carer, session, [carer])
    session.starts_at -= timedelta(days=4)
    session.ends_at -= timedelta(days=4)
    db.session.commit()
    attendance.mark_register(trainer, session, {outcome.booking.id: "attended"})
    client.sign_in(carer)
    response = client.get(f"/training/bookings/{outcome.booking.id}/mileage")
    assert response.status_code == 302 and "/claims/new/mileage" in response.location
    form = client.get(response.location).text
    assert "1 High Street, Anytown AN1 1AA" in form and "Training: Life story work" in form
    assert re.search(r'value="training"[^>]*checked', form)
    day = session.starts_at.date()
    assert f'value="{day.day}"' in form


def _queries(client, path: str) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_the_catalogue_and_the_record_cost_the_same_number_of_queries_with_more_data(app, client):
    carer = make_user(Role.CARER)
    make_household(carer)
    client.sign_in(carer)
    course = make_course()

    def grow(n):
        for _ in range(n):
            session = make_session(course, capacity=3)
            services.book(carer, session, [carer])

    grow(3)
    before = {p: _queries(client, p) for p in ("/training", "/training/record")}
    grow(12)
    after = {p: _queries(client, p) for p in ("/training", "/training/record")}
    assert after == before


def test_an_overlapping_booking_is_warned_about_before_and_after_booking(app, client):
    carer = make_user(Role.CARER)
    make_household(carer)
    first = make_session(make_course("Morning course"))
    services.book(carer, first, [carer])
    clash = make_session(make_course("Clashing course"), start=first.starts_at + timedelta(hours=1))
    client.sign_in(carer)
    page = client.get(f"/training/sessions/{clash.id}").text
    assert "Morning course" in page and "which you are booked on" in page
    token = _token(client, f"/training/sessions/{clash.id}")
    after = client.post(
        f"/training/sessions/{clash.id}/book",
        data={"csrf_token": token, "people": str(carer.id)},
        follow_redirects=True,
    )
    assert "overlaps with Morning course" in after.text


def _in_parts(course, start, gap_days: int, hours: int = 2):
    """A session in two parts `gap_days` apart, each `hours` long, starting at `start`."""
    session = make_session(course, start=start, hours=hours)
    second = start + timedelta(days=gap_days)
    session.parts.append(SessionPart(starts_at=second, ends_at=second + timedelta(hours=hours)))
    session.ends_at = second + timedelta(hours=hours)
    db.session.commit()
    return session


def test_a_session_in_parts_clashes_only_where_a_part_does_and_an_offer_is_not_called_booked(app, client):
    carer = make_user(Role.CARER)
    household = make_household(carer)
    start = (now_utc() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    parts = _in_parts(make_course("Therapeutic parenting"), start, gap_days=7)
    db.session.add(
        Booking(
            session_id=parts.id, user_id=carer.id, household_id=household.id, booked_by_id=carer.id, status="offered"
        )
    )
    db.session.commit()
    between = make_session(make_course("Between the parts"), start=start + timedelta(days=3))
    on_second = make_session(make_course("On the second part"), start=start + timedelta(days=7, hours=1))
    client.sign_in(carer)
    assert "Therapeutic parenting" not in client.get(f"/training/sessions/{between.id}").text
    page = client.get(f"/training/sessions/{on_second.id}").text
    assert "Therapeutic parenting" in page and "where you have been offered a place" in page
    assert "booked on" not in page


def _session_form(client, course_id: int, day, start: str, end: str, deadline=None) -> dict:
    data = {
        "csrf_token": _token(client, f"/training/courses/{course_id}/sessions/new"),
        "part1_date-day": str(day.day),
        "part1_date-month": str(day.month),
        "part1_date-year": str(day.year),
        "part1_start": start,
        "part1_end": end,
        "capacity": "10",
        "venue_name": "Civic Centre",
    }
    if deadline is not None:
        data |= {"deadline-day": str(deadline.day), "deadline-month": str(deadline.month)}
        data["deadline-year"] = str(deadline.year)
    return data


def test_the_session_form_refuses_past_and_missing_times_and_says_when_booking_closes(app, client):
    client.sign_in(make_user(Role.TRAINING_COORDINATOR))
    course = make_course()
    path = f"/training/courses/{course.id}/sessions/new"
    empty = client.post(path, data=_session_form(client, course.id, date(2030, 5, 1), "09:00", "12:00"))
    assert empty.status_code == 422 and "Enter the last day to book" in empty.text
    past = client.post(
        path, data=_session_form(client, course.id, date(2020, 1, 1), "09:00", "12:00", date(2019, 12, 1))
    )
    assert past.status_code == 422 and "must be in the future" in past.text
    assert db.session.scalars(select(TrainingSession)).all() == []
    # The clocks go forward at 01:00 on the last Sunday of March: 01:30 that night does not exist.
    year = date.today().year + 1
    spring = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    gap = client.post(path, data=_session_form(client, course.id, spring, "01:30", "02:30", date(year, 3, 20)))
    assert gap.status_code == 422 and "does not exist" in gap.text and "clocks go forward" in gap.text
    saved = client.post(
        path, data=_session_form(client, course.id, date(2030, 5, 1), "09:00", "12:00", date(2030, 4, 28))
    )
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).text
    assert "At the end of 28 April 2030" in page and "29 April 2030" not in page
