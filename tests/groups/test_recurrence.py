"""Meetings from a rule: wall-clock times across the clock change, breaks, term time, moves and cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from portal.groups.recurrence import (
    Change,
    DateRange,
    Pattern,
    PatternProblem,
    build_rrule,
    check_pattern,
    describe,
    meetings,
)

SECOND_TUESDAY = Pattern(build_rrule("monthly", "TU", 2), date(2027, 1, 12), time(10), time(12))


def test_second_tuesday_keeps_ten_oclock_on_both_sides_of_the_spring_clock_change():
    # 28 March 2027 the clocks go forward: March's meeting is 10:00 GMT, April's 10:00 BST (09:00 UTC).
    march, april = meetings(SECOND_TUESDAY, date(2027, 3, 1), date(2027, 4, 30))
    assert (march.start.date(), april.start.date()) == (date(2027, 3, 9), date(2027, 4, 13))
    assert march.start.hour == april.start.hour == 10
    assert march.start.astimezone(UTC).hour == 10
    assert april.start.astimezone(UTC).hour == 9


def test_weekly_meeting_in_the_week_the_clocks_go_back_stays_at_its_local_time():
    pattern = Pattern(build_rrule("weekly", "SU", None), date(2027, 10, 17), time(1, 30), time(3))
    found = meetings(pattern, date(2027, 10, 17), date(2027, 11, 7))
    assert [m.start.hour for m in found] == [1, 1, 1, 1]
    # 31 October 2027: 01:30 happens twice; the first (BST) is taken, and the meeting still lasts as written.
    clock_change = next(m for m in found if m.start.date() == date(2027, 10, 31))
    assert clock_change.start.utcoffset().total_seconds() == 3600


def test_breaks_every_year_skip_august_and_christmas():
    pattern = Pattern(build_rrule("monthly", "TH", 1), date(2027, 1, 7), time(19), time(21))
    august = DateRange(date(2000, 8, 1), date(2000, 8, 31), every_year=True)
    christmas = DateRange(date(2000, 12, 20), date(2000, 1, 3), every_year=True)
    days = [m.original_date for m in meetings(pattern, date(2027, 7, 1), date(2028, 1, 31), breaks=[august, christmas])]
    assert date(2027, 8, 5) not in days and date(2028, 1, 6) in days and date(2027, 7, 1) in days
    pattern_jan = Pattern(build_rrule("weekly", "MO"), date(2027, 12, 20), time(10), time(11))
    days = [m.original_date for m in meetings(pattern_jan, date(2027, 12, 20), date(2028, 1, 10), breaks=[christmas])]
    assert days == [date(2028, 1, 10)]


def test_term_time_group_skips_school_holidays_only_when_term_time():
    half_term = DateRange(date(2027, 2, 15), date(2027, 2, 19))
    weekly = Pattern(build_rrule("weekly", "TH"), date(2027, 2, 4), time(9, 15), time(10, 45), term_time_only=True)
    days = [m.original_date for m in meetings(weekly, date(2027, 2, 1), date(2027, 2, 28), holidays=[half_term])]
    assert days == [date(2027, 2, 4), date(2027, 2, 11), date(2027, 2, 25)]
    all_year = Pattern(weekly.rrule, weekly.first_meeting, weekly.starts_at, weekly.ends_at, term_time_only=False)
    assert len(meetings(all_year, date(2027, 2, 1), date(2027, 2, 28), holidays=[half_term])) == 4


def test_a_moved_meeting_keeps_its_name_and_a_cancelled_one_is_marked():
    changes = [
        Change(date(2027, 3, 9), new_date=date(2027, 3, 16), new_starts_at=time(13), new_ends_at=time(15)),
        Change(date(2027, 4, 13), is_cancelled=True, note="Venue closed"),
    ]
    march, april = meetings(SECOND_TUESDAY, date(2027, 3, 1), date(2027, 4, 30), changes=changes)
    assert march.original_date == date(2027, 3, 9) and march.is_moved
    assert (march.start.date(), march.start.hour, march.end.hour) == (date(2027, 3, 16), 13, 15)
    assert april.is_cancelled and april.note == "Venue closed"


def test_a_pattern_that_gives_no_meetings_is_refused():
    ended = Pattern(build_rrule("weekly", "MO", until=date(2027, 1, 1)), date(2027, 3, 1), time(10), time(11))
    with pytest.raises(PatternProblem, match="no meetings"):
        check_pattern(ended)
    only_holidays = Pattern(build_rrule("monthly", "MO", 1), date(2027, 8, 2), time(10), time(11), term_time_only=True)
    with pytest.raises(PatternProblem, match="no meetings"):
        check_pattern(only_holidays, holidays=[DateRange(date(2027, 1, 1), date(2029, 1, 1))])


def test_a_meeting_that_ends_before_it_starts_is_refused():
    with pytest.raises(PatternProblem, match="end after it starts"):
        check_pattern(Pattern(build_rrule("weekly", "MO"), date(2027, 3, 1), time(12), time(10)))


def test_rules_are_described_in_words():
    assert describe(SECOND_TUESDAY.rrule) == "Second Tuesday of each month"
    assert describe(build_rrule("fortnightly", "WE")) == "Every other Wednesday"
    assert describe(build_rrule("monthly_last", "FR")) == "Last Friday of each month"


@pytest.mark.parametrize(
    "rule",
    [
        build_rrule("weekly", "TH"),
        build_rrule("fortnightly", "MO"),
        build_rrule("monthly", "TU", 2),
        build_rrule("monthly_last", "FR"),
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=WEEKLY;COUNT=40;BYDAY=WE",
    ],
)
def test_expanding_from_a_later_day_gives_the_same_meetings_as_from_the_first(rule):
    pattern = Pattern(rule, date(2024, 1, 3), time(10), time(11))
    for start in (date(2024, 1, 1), date(2025, 3, 17), date(2026, 10, 1), date(2027, 2, 28)):
        end = start + timedelta(days=120)
        from dateutil.rrule import rrulestr

        full = rrulestr(rule, dtstart=datetime(2024, 1, 3, 10))
        expected = [
            d.date() for d in full.between(datetime.combine(start, time.min), datetime.combine(end, time.max), inc=True)
        ]
        assert [m.original_date for m in meetings(pattern, start, end)] == expected


def test_a_meeting_moved_over_the_autumn_clock_change_keeps_its_wall_clock_time():
    # 31 October 2027 the clocks go back: a meeting moved from 26 October (BST) to 2 November (GMT) is still 10:00.
    pattern = Pattern(build_rrule("weekly", "TU"), date(2027, 10, 5), time(10), time(12))
    moved = Change(date(2027, 10, 26), new_date=date(2027, 11, 2))
    cancelled = Change(date(2027, 11, 2), is_cancelled=True)
    found = meetings(pattern, date(2027, 10, 19), date(2027, 11, 2), changes=[moved, cancelled])
    by_name = {m.original_date: m for m in found}
    assert by_name[date(2027, 10, 26)].start.date() == date(2027, 11, 2)
    assert by_name[date(2027, 10, 26)].start.hour == 10 and by_name[date(2027, 10, 26)].start.astimezone(UTC).hour == 10
    assert by_name[date(2027, 10, 19)].start.astimezone(UTC).hour == 9
    assert by_name[date(2027, 11, 2)].is_cancelled
