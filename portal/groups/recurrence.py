"""A group's meetings from its RFC 5545 rule (dateutil's `rrule`), less its breaks and, for term-time groups, the
school holidays, with single meetings moved or cancelled.

Meeting times are wall-clock times in Europe/London: the rule is expanded in local time and each meeting is then
given London's offset for its own day, so "10:00 on the second Tuesday" is 10:00 in March (GMT) and April (BST)
alike, and a calendar app shows it at 10:00 on either side of the clock change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from portal.core.clock import LONDON

# How far ahead a new or changed pattern must produce at least one meeting to be accepted.
ACCEPT_WITHIN_DAYS = 400
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class PatternProblem(ValueError):
    """A rule that cannot be read, or that gives no meetings; the message is written for the person editing."""


@dataclass(frozen=True)
class Pattern:
    rrule: str
    first_meeting: date
    starts_at: time
    ends_at: time
    term_time_only: bool = False


@dataclass(frozen=True)
class DateRange:
    """Inclusive days; with `every_year`, only day and month count (a range may run over New Year)."""

    starts_on: date
    ends_on: date
    every_year: bool = False

    def covers(self, day: date) -> bool:
        if not self.every_year:
            return self.starts_on <= day <= self.ends_on
        start, end, key = (
            (self.starts_on.month, self.starts_on.day),
            (self.ends_on.month, self.ends_on.day),
            (day.month, day.day),
        )
        return start <= key <= end if start <= end else key >= start or key <= end


@dataclass(frozen=True)
class Change:
    original_date: date
    is_cancelled: bool = False
    new_date: date | None = None
    new_starts_at: time | None = None
    new_ends_at: time | None = None
    note: str = ""


@dataclass(frozen=True)
class Meeting:
    """One meeting. `original_date` names it (replies and changes key on it); `start`/`end` are aware datetimes in
    Europe/London, after any move."""

    original_date: date
    start: datetime
    end: datetime
    is_cancelled: bool = False
    is_moved: bool = False
    note: str = ""


def london(day: date, at: time) -> datetime:
    """The aware London datetime of a wall-clock time on a day (zoneinfo picks BST or GMT for that day)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def _rule(pattern: Pattern, near: date | None = None):
    """The rule from its first meeting, or from a later day that gives the same meetings from `near` on, so a
    group that has met for years is not expanded from its first week on every page."""
    begin = pattern.first_meeting
    if near is not None and near > begin and "COUNT" not in pattern.rrule.upper():
        begin = _same_meetings_from(pattern.rrule.upper(), begin, near)
    try:
        return rrulestr(pattern.rrule, dtstart=datetime.combine(begin, pattern.starts_at))
    except (ValueError, TypeError) as exc:
        raise PatternProblem("Enter a meeting pattern Hearth can read") from exc


def _same_meetings_from(rule: str, first: date, near: date) -> date:
    """A day on or before `near` from which the rule gives the same meetings as from `first` (whole intervals
    later: weeks for a weekly rule, the first of a month for a monthly rule by weekday); `first` for other rules."""
    parts = dict(item.split("=", 1) for item in rule.split(";") if "=" in item)
    interval = int(parts.get("INTERVAL", "1") or 1)
    if parts.get("FREQ") == "WEEKLY" and "BYDAY" in parts:
        weeks = (near - first).days // 7 // interval * interval
        return first + timedelta(weeks=max(0, weeks - interval))
    if parts.get("FREQ") == "MONTHLY" and interval == 1 and "BYDAY" in parts and "BYMONTHDAY" not in parts:
        month_start = date(near.year, near.month, 1) - timedelta(days=1)
        month_start = date(month_start.year, month_start.month, 1)
        return max(first, month_start)
    return first


def pattern_dates(pattern: Pattern, start: date, end: date) -> list[date]:
    """The days the rule gives in [start, end], before breaks, holidays and changes."""
    lo, hi = datetime.combine(start, time.min), datetime.combine(end, time.max)
    return [when.date() for when in _rule(pattern, start).between(lo, hi, inc=True)]


def meetings(
    pattern: Pattern,
    start: date,
    end: date,
    *,
    breaks: Iterable[DateRange] = (),
    holidays: Iterable[DateRange] = (),
    changes: Iterable[Change] = (),
) -> list[Meeting]:
    """Meetings whose pattern day falls in [start, end], in time order; cancelled ones are kept (marked) so people
    see them called off. A day in a break, or in a school holiday for a term-time group, has no meeting."""
    if pattern.ends_at <= pattern.starts_at:
        raise PatternProblem("The meeting must end after it starts")
    closed = list(breaks) + (list(holidays) if pattern.term_time_only else [])
    changed = {c.original_date: c for c in changes}
    found: list[Meeting] = []
    for day in pattern_dates(pattern, start, end):
        if any(r.covers(day) for r in closed):
            continue
        change = changed.get(day)
        if change is None:
            found.append(Meeting(day, london(day, pattern.starts_at), london(day, pattern.ends_at)))
        elif change.is_cancelled:
            found.append(
                Meeting(day, london(day, pattern.starts_at), london(day, pattern.ends_at), True, note=change.note)
            )
        else:
            new_day = change.new_date or day
            found.append(
                Meeting(
                    day,
                    london(new_day, change.new_starts_at or pattern.starts_at),
                    london(new_day, change.new_ends_at or pattern.ends_at),
                    is_moved=True,
                    note=change.note,
                )
            )
    return sorted(found, key=lambda m: m.start)


def check_pattern(pattern: Pattern, breaks: Iterable[DateRange] = (), holidays: Iterable[DateRange] = ()) -> None:
    """Raise PatternProblem unless the pattern gives at least one meeting within ACCEPT_WITHIN_DAYS of its first
    meeting (after breaks and, for term-time groups, holidays) and each meeting ends after it starts."""
    if pattern.ends_at <= pattern.starts_at:
        raise PatternProblem("The meeting must end after it starts")
    found = meetings(
        pattern,
        pattern.first_meeting,
        pattern.first_meeting + timedelta(days=ACCEPT_WITHIN_DAYS),
        breaks=breaks,
        holidays=holidays,
    )
    if not found:
        raise PatternProblem(
            "This pattern gives no meetings: check the day, the dates and the breaks (a term-time group needs "
            "days outside the school holidays)"
        )


def build_rrule(frequency: str, weekday: str, nth: int | None = None, until: date | None = None) -> str:
    """An RRULE from the choices people make on the form: "weekly", "fortnightly", "monthly" (the `nth` weekday of
    the month, 1 to 4) or "monthly_last" (the last such weekday), e.g. ("monthly", "TU", 2) ->
    "FREQ=MONTHLY;BYDAY=+2TU". Raises PatternProblem for anything else."""
    if weekday not in WEEKDAYS:
        raise PatternProblem("Choose the day of the week")
    if frequency == "weekly":
        rule = f"FREQ=WEEKLY;BYDAY={weekday}"
    elif frequency == "fortnightly":
        rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    elif frequency == "monthly":
        if nth not in (1, 2, 3, 4):
            raise PatternProblem("Choose which week of the month")
        rule = f"FREQ=MONTHLY;BYDAY=+{nth}{weekday}"
    elif frequency == "monthly_last":
        rule = f"FREQ=MONTHLY;BYDAY=-1{weekday}"
    else:
        raise PatternProblem("Choose how often the group meets")
    if until:
        rule += f";UNTIL={until:%Y%m%d}T235959"
    return rule


def describe(rrule: str) -> str:
    """The rule in words ("Second Tuesday of each month"), for the rules the form makes; others as "Regularly"."""
    parts = dict(item.split("=", 1) for item in rrule.split(";") if "=" in item)
    day = {
        "MO": "Monday",
        "TU": "Tuesday",
        "WE": "Wednesday",
        "TH": "Thursday",
        "FR": "Friday",
        "SA": "Saturday",
        "SU": "Sunday",
    }
    byday = parts.get("BYDAY", "")
    weekday = day.get(byday[-2:], "")
    if not weekday:
        return "Regularly"
    if parts.get("FREQ") == "WEEKLY":
        return f"Every other {weekday}" if parts.get("INTERVAL") == "2" else f"Every {weekday}"
    if parts.get("FREQ") == "MONTHLY":
        nth = byday[:-2].lstrip("+")
        words = {"1": "First", "2": "Second", "3": "Third", "4": "Fourth", "-1": "Last"}
        if nth in words:
            return f"{words[nth]} {weekday} of each month"
    return "Regularly"
