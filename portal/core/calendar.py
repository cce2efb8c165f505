"""Calendar files (RFC 5545) for single events and for a person's feed, built with the `icalendar` package.

Features describe their events as `CalendarEvent`s; this module turns them into `.ics` text. Times are aware
datetimes; they are written in Europe/London with its VTIMEZONE, so a session at 18:00 on either side of the clock
change shows at 18:00 in every calendar app.

A person's subscribed feed gathers events from every feature that registers a source with
`register_feed_source` (training bookings, group meetings); the feed route itself lives with the groups feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from portal.core.db import utcnow

LONDON = ZoneInfo("Europe/London")
PRODUCT_ID = "-//Hearth//Fostering portal//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event. `uid` must be stable and globally unique (e.g. "training-booking-42@hearth") so that a calendar
    app updates the event instead of adding a copy; `start`/`end` are timezone-aware; `location` is an address or
    "Online"; `url` an absolute link back to Hearth; `cancelled` marks a cancelled occurrence (STATUS:CANCELLED)."""

    uid: str
    title: str
    start: datetime
    end: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0


def to_ics(events: Iterable[CalendarEvent], name: str = "Hearth") -> bytes:
    """The events as one VCALENDAR (bytes, CRLF line endings as RFC 5545 requires).

    Raises ValueError for an event whose start or end is naive or whose end is not after its start."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    stamp = utcnow()
    for event in events:
        if event.start.tzinfo is None or event.end.tzinfo is None:
            raise ValueError(f"calendar event {event.uid} has a naive time")
        if event.end <= event.start:
            raise ValueError(f"calendar event {event.uid} ends before it starts")
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        item.add("dtstart", event.start.astimezone(LONDON))
        item.add("dtend", event.end.astimezone(LONDON))
        item.add("sequence", event.sequence)
        if event.location:
            item.add("location", event.location)
        if event.description:
            item.add("description", event.description)
        if event.url:
            item.add("url", event.url)
        if event.cancelled:
            item.add("status", "CANCELLED")
        cal.add_component(item)
    cal.add_missing_timezones()  # the VTIMEZONE for Europe/London, from the events' own tzinfo
    return cal.to_ical()


# --- A person's feed: each feature registers where its events come from ---------------------------------------

FeedSource = Callable[[int], Iterable[CalendarEvent]]
_FEED_SOURCES: dict[str, FeedSource] = {}


def register_feed_source(name: str, source: FeedSource) -> None:
    """Add a source of events to every person's feed. `source(user_id)` returns that person's events (upcoming and
    recent ones; the feed adds nothing else). Titles and places only: a feed is read without signing in."""
    _FEED_SOURCES[name] = source


def feed_events(user_id: int) -> list[CalendarEvent]:
    """Every registered source's events for this person, in start order."""
    events = [event for source in _FEED_SOURCES.values() for event in source(user_id)]
    return sorted(events, key=lambda event: event.start)
