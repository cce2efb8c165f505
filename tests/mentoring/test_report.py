"""The scheme report's periods and figures."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.core.db import db
from portal.core.notify import Notification
from portal.mentoring import report
from portal.mentoring.conversations import NEW_MESSAGE_NOTICE, send_message
from portal.mentoring.models import Match
from tests.factories import make_locality
from tests.mentoring.conftest import make_match, make_mentee, make_mentor


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("2025", date(2025, 4, 1), date(2026, 3, 31), "2025-26"),
        ("2025-Q1", date(2025, 4, 1), date(2025, 6, 30), "Q1 2025-26 (April to June 2025)"),
        ("2025-Q3", date(2025, 10, 1), date(2025, 12, 31), "Q3 2025-26 (October to December 2025)"),
        ("2025-Q4", date(2026, 1, 1), date(2026, 3, 31), "Q4 2025-26 (January to March 2026)"),
    ],
)
def test_periods_are_financial_years_and_their_quarters(key, start, end, label):
    period = report.period_of(key, date(2026, 11, 30))
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)
    assert period.last_year().start == date(start.year - 1, start.month, start.day)


def test_an_unknown_period_means_the_current_quarter():
    assert report.period_of("next year", date(2026, 2, 10)).key == "2025-Q4"
    assert report.period_of("2099", date(2026, 5, 10)).key == "2026-Q1"


def test_figures_count_the_funnel_and_the_medians(app):
    town = make_locality()
    mentor = make_mentor(town)
    q = report.Period(2025, 3)  # October to December 2025
    rows = []
    for i, (offered, responded, response) in enumerate(
        [
            (date(2025, 10, 1), date(2025, 10, 3), "wants"),
            (date(2025, 10, 5), date(2025, 10, 6), "wants"),
            (date(2025, 11, 1), date(2025, 11, 2), "declined"),
            (date(2025, 12, 1), None, None),
        ]
    ):
        mentee = make_mentee(town, name=f"Person {i}")
        mentee.offered_on, mentee.responded_on, mentee.response = offered, responded, response
        rows.append(mentee)
    rows[1].withdrew_on, rows[1].withdrew_at_step = date(2025, 10, 20), "waiting"
    db.session.commit()
    match = make_match(rows[0], mentor, "active")
    match.accepted_at = datetime(2025, 10, 11, 12, tzinfo=timezone.utc)
    match.first_contact_on = date(2025, 10, 15)
    match.agreement_meeting_on, match.agreement_meeting_held = date(2025, 10, 25), True
    match.introduced_on = date(2025, 10, 12)
    db.session.commit()
    f = report.figures(q)
    assert (f.offered, f.responded, f.wanted, f.matched, f.withdrew_before_match) == (4, 3, 2, 1, 1)
    assert f.meetings_held == 1 and f.meetings_to_hold == 0
    assert f.median_offer_to_match == 10 and f.median_match_to_first_contact == 4
    assert f.active_per_mentor == 1.0
    assert report.figures(q.last_year()).offered == 0


def test_the_in_app_notice_of_a_message_carries_no_content(app):
    town = make_locality()
    mentor = make_mentor(town)
    mentee = make_mentee(town)
    match = make_match(mentee, mentor)
    send_message(mentor, match, "Her school report arrived today")
    notes = db.session.scalars(select(Notification.text).where(Notification.user_id == mentee.user_id)).all()
    assert notes == [NEW_MESSAGE_NOTICE]
    assert db.session.scalar(select(Match.first_contact_on)) is not None
