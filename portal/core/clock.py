"""Today's date where the service is: placements, logs and claims are about days in England, not UTC days."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(LONDON).date()


def now() -> datetime:
    """The current time (aware, UTC). Rules that turn on the time of day (offers that expire, reminders due) ask
    here, so a test can stand the clock still or move it on."""
    return datetime.now(timezone.utc)


def future_time_problem(on: date | None, at: time | None, now: datetime | None = None) -> str | None:
    """Why `at` on the day `on` cannot be the time of a log entry (it is later than now in England), or None."""
    if on is None or at is None:
        return None
    now = (now or datetime.now(LONDON)).astimezone(LONDON)
    if on == now.date() and at > now.time().replace(second=0, microsecond=0):
        return f"The time must not be in the future: it is {now:%H:%M} now"
    return None
