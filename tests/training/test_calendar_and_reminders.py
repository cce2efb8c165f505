"""Calendar files parsed back (Europe/London across the clock change), the feed source, and reminders sent once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from portal.auth.roles import Role
from portal.core.calendar import feed_events, to_ics
from portal.core.db import db
from portal.training import services
from portal.training.calendar import booking_events
from portal.training.jobs import send_reminders
from portal.training.models import Booking
from portal.training.providers import register_providers
from tests.factories import make_household, make_user
from tests.jobs import drain_jobs
from tests.training.helpers import make_course, make_session

LONDON = ZoneInfo("Europe/London")


def _carer():
    carer = make_user(Role.CARER, email="ics@example.org")
    make_household(carer)
    return carer


def test_a_booking_ics_parses_back_at_18_00_london_on_both_sides_of_the_clock_change(app):
    carer = _carer()
    course = make_course("Therapeutic parenting", format="online")
    # 18:00 in London on the Friday before and the Friday after the clocks go back (25 October 2026).
    before = datetime(2026, 10, 23, 18, 0, tzinfo=LONDON).astimezone(timezone.utc)
    after = datetime(2026, 10, 30, 18, 0, tzinfo=LONDON).astimezone(timezone.utc)
    for start in (before, after):
        session = make_session(course, start=start, hours=2, joining_link="https://meet.example.org/abc")
        session.booking_deadline = start - timedelta(days=400)  # not under test here
        booking = Booking(session_id=session.id, user_id=carer.id, booked_by_id=carer.id, status="booked")
        db.session.add(booking)
        db.session.commit()
        cal = icalendar.Calendar.from_ical(to_ics(booking_events(booking, with_link=True)))
        (event,) = cal.walk("VEVENT")
        local = event.decoded("dtstart")
        assert (local.hour, local.minute) == (18, 0) and str(local.tzinfo) == "Europe/London"
        assert event.decoded("dtend") - local == timedelta(hours=2)
        assert "https://meet.example.org/abc" in str(event.get("description"))
        assert str(event.get("location")) == "Online"
        assert cal.walk("VTIMEZONE")


def test_the_feed_lists_bookings_without_the_joining_link(app):
    register_providers()
    carer = _carer()
    session = make_session(make_course(format="online"), joining_link="https://meet.example.org/secret")
    services.book(carer, session, [carer])
    events = [e for e in feed_events(carer.id) if e.uid.startswith("training-")]
    assert len(events) == 1 and "secret" not in events[0].description


def test_reminders_go_a_week_and_a_day_before_and_only_once(app, mail_dir):
    carer = _carer()
    session = make_session(starts_in=timedelta(days=6, hours=12), deadline_before=timedelta(hours=1))
    services.book(carer, session, [carer])
    assert send_reminders() == 1  # the week's reminder: inside seven days, more than a day to go
    assert send_reminders() == 0  # sent once
    drain_jobs(app)
    assert len([p for p in mail_dir.glob("*.eml") if "Reminder" in p.read_text()]) == 1
    later = session.starts_at - timedelta(hours=20)
    assert send_reminders(now=later) == 1  # the day's reminder
    assert send_reminders(now=later + timedelta(hours=1)) == 0
    drain_jobs(app)
    assert len([p for p in mail_dir.glob("*.eml") if "Reminder" in p.read_text()]) == 2


def test_the_reminder_of_an_online_session_carries_the_joining_link(app, mail_dir):
    carer = _carer()
    session = make_session(
        make_course(format="online"),
        starts_in=timedelta(hours=20),
        joining_link="https://meet.example.org/xyz",
        deadline_before=timedelta(hours=1),
    )
    services.book(carer, session, [carer])
    assert send_reminders() == 1
    drain_jobs(app)
    assert any("https://meet.example.org/xyz" in p.read_text() for p in mail_dir.glob("*.eml"))


def test_an_offered_place_is_not_in_the_feed_and_has_no_calendar_file(app, client):
    register_providers()
    carer = _carer()
    session = make_session(make_course(format="online"))
    booking = Booking(session_id=session.id, user_id=carer.id, booked_by_id=carer.id, status="offered")
    db.session.add(booking)
    db.session.commit()
    assert [e for e in feed_events(carer.id) if e.uid.startswith("training-")] == []
    client.sign_in(carer)
    assert "Add to calendar" not in client.get(f"/training/sessions/{session.id}").text
    assert client.get(f"/training/bookings/{booking.id}/calendar.ics").status_code == 404
    booking.status = "booked"
    db.session.commit()
    assert "Add to calendar" in client.get(f"/training/sessions/{session.id}").text
    assert client.get(f"/training/bookings/{booking.id}/calendar.ics").status_code == 200
    assert len([e for e in feed_events(carer.id) if e.uid.startswith("training-")]) == 1
