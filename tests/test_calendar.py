"""Calendar files parse back to the same events, at the same wall-clock time on both sides of the clock change."""

from datetime import datetime

import icalendar
import pytest

from portal.core.calendar import LONDON, CalendarEvent, feed_events, register_feed_source, to_ics


def _event(uid: str, start: datetime, end: datetime, **extra) -> CalendarEvent:
    return CalendarEvent(uid=uid, title="First aid", start=start, end=end, location="Town Hall, Bury", **extra)


def test_events_parse_back_at_the_same_london_time_across_the_clock_change():
    before = _event("a@hearth", datetime(2027, 3, 27, 18, tzinfo=LONDON), datetime(2027, 3, 27, 20, tzinfo=LONDON))
    after = _event("b@hearth", datetime(2027, 3, 29, 18, tzinfo=LONDON), datetime(2027, 3, 29, 20, tzinfo=LONDON))
    cal = icalendar.Calendar.from_ical(to_ics([before, after], name="Training"))
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == ["a@hearth", "b@hearth"]
    starts = [e.decoded("dtstart") for e in events]
    assert [s.astimezone(LONDON).hour for s in starts] == [18, 18]
    assert [s.utcoffset().total_seconds() for s in starts] == [0, 3600]  # GMT, then BST
    assert any(c.name == "VTIMEZONE" for c in cal.walk())
    assert str(events[0]["location"]) == "Town Hall, Bury"


def test_cancelled_events_say_so_and_bad_times_are_refused():
    start, end = datetime(2027, 1, 5, 10, tzinfo=LONDON), datetime(2027, 1, 5, 12, tzinfo=LONDON)
    cal = icalendar.Calendar.from_ical(to_ics([_event("c@hearth", start, end, cancelled=True)]))
    assert str(next(iter(cal.walk("VEVENT")))["status"]) == "CANCELLED"
    with pytest.raises(ValueError):
        to_ics([_event("d@hearth", end, start)])
    with pytest.raises(ValueError):
        to_ics([_event("e@hearth", start.replace(tzinfo=None), end.replace(tzinfo=None))])


def test_the_feed_gathers_every_registered_source_in_start_order():
    late = _event("late@hearth", datetime(2027, 2, 1, 10, tzinfo=LONDON), datetime(2027, 2, 1, 11, tzinfo=LONDON))
    early = _event("early@hearth", datetime(2027, 1, 1, 10, tzinfo=LONDON), datetime(2027, 1, 1, 11, tzinfo=LONDON))
    register_feed_source("test-late", lambda user_id: [late] if user_id == -7 else [])
    register_feed_source("test-early", lambda user_id: [early] if user_id == -7 else [])
    assert [e.uid for e in feed_events(-7)][-2:] == ["early@hearth", "late@hearth"]
    assert all(e.uid not in {"early@hearth", "late@hearth"} for e in feed_events(-8))
