"""The TSD part of the coordinator's report counts the households whose deadline falls in or after its period, and
an SSW's "behind with TSD" count reads only the households still followed (portal.training.rules)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.hub.needs import needs_for
from portal.training.models import TsdSignOff
from portal.training.reports import tsd_completion
from portal.training.rules import first_approval_due_by, first_approval_followed, tsd_deadline, tsd_followed
from tests.factories import make_household, make_user

START, ON = date(2026, 1, 1), date(2026, 11, 30)


def _signed(household, *standards: int, on: date) -> None:
    at = datetime(on.year, on.month, on.day, 12, tzinfo=timezone.utc)
    signer = make_user(Role.SSW)
    db.session.add_all(
        TsdSignOff(household_id=household.id, standard=n, signed_off_by_id=signer.id, signed_off_at=at)
        for n in standards
    )
    db.session.commit()


def test_only_households_whose_deadline_falls_on_or_after_the_period_start_are_counted(app):
    # Mainstream: 12 months. A deadline on the period's first day counts; the day before belongs to an earlier period.
    make_household(make_user(Role.CARER), approval_date=date(2025, 1, 1))  # deadline 1 Jan 2026: overdue
    make_household(make_user(Role.CARER), approval_date=date(2024, 12, 31))  # deadline 31 Dec 2025: left out
    make_household(make_user(Role.CARER), approval_date=date(2020, 5, 1))  # long ago: left out
    # Family and friends: 18 months, so a household approved in September 2024 is still in this period.
    make_household(make_user(Role.CARER), carer_type="kinship", approval_date=date(2024, 9, 1))  # 1 Mar 2026
    make_household(make_user(Role.CARER), carer_type="kinship", approval_date=date(2024, 6, 30))  # 30 Dec 2025
    make_household(make_user(Role.CARER), approval_date=date(2026, 6, 1))  # in progress
    make_household(make_user(Role.CARER), approval_date=date(2025, 6, 1), status="on_hold")  # not active
    assert tsd_completion(START, ON) == {"within": 0, "late": 0, "overdue": 2, "in_progress": 1}


def test_complete_households_are_within_or_late_by_their_last_needed_sign_off(app):
    early = make_household(make_user(Role.CARER), approval_date=date(2025, 6, 1))  # deadline 1 Jun 2026
    _signed(early, *range(1, 8), on=date(2026, 5, 30))
    late = make_household(make_user(Role.CARER), approval_date=date(2025, 3, 1))  # deadline 1 Mar 2026
    _signed(late, *range(1, 7), on=date(2026, 2, 1))
    _signed(late, 7, on=date(2026, 4, 1))
    # Family and friends need standards 1-6 only: a late standard 7 changes nothing.
    kin = make_household(make_user(Role.CARER), carer_type="kinship", approval_date=date(2025, 3, 1))
    _signed(kin, *range(1, 7), on=date(2026, 8, 1))
    _signed(kin, 7, on=date(2026, 10, 1))
    half = make_household(make_user(Role.CARER), approval_date=date(2025, 2, 1))  # deadline 1 Feb 2026
    _signed(half, 1, 2, 3, on=date(2025, 12, 1))
    assert tsd_completion(START, ON) == {"within": 2, "late": 1, "overdue": 1, "in_progress": 0}


def test_the_report_says_which_households_it_counts(app, client):
    client.sign_in(make_user(Role.TRAINING_COORDINATOR))
    page = client.get("/training/reports?year=2026")
    assert page.status_code == 200
    assert "Households whose TSD deadline falls on or after 1 January 2026" in page.text
    assert "whose deadline passed before the period began are not counted" in page.text


def test_the_approval_bounds_match_the_deadline_rule_at_every_month_end():
    for carer_type in ("mainstream", "kinship"):
        for offset in range(0, 800, 3):
            day = date(2024, 1, 1) + timedelta(days=offset)
            first = first_approval_due_by(carer_type, day)
            assert tsd_deadline(carer_type, first) >= day > tsd_deadline(carer_type, first - timedelta(days=1))
            bound = first_approval_followed(carer_type, day)
            assert not tsd_followed(tsd_deadline(carer_type, bound - timedelta(days=1)), day)


def test_an_ssws_count_of_households_behind_reads_only_those_still_followed(app):
    ssw = make_user(Role.SSW)
    on = today()
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=on - timedelta(days=300))  # behind
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=on - timedelta(days=400))  # past the deadline
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=on - timedelta(days=3000))  # long ago
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=on - timedelta(days=10))  # just started
    kin = make_household(make_user(Role.CARER), ssw=ssw, carer_type="kinship", approval_date=on - timedelta(days=500))
    _signed(kin, 1, 2, 3, 4, 5, 6, on=on - timedelta(days=1))  # complete: 7 is not theirs to evidence
    (need,) = [n for n in needs_for(ssw, on) if n.kind == "training_tsd_behind"]
    assert need.count == 2


def test_the_household_ranges_use_the_approval_date_indexes(app):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL chooses by its statistics; its plans are checked by hand on a large database
    plan = " ".join(
        str(row[-1])
        for row in db.session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM households WHERE status = 'active' AND approval_date >= '2024-01-01'"
            )
        )
    )
    assert "ix_households_status_approval_date" in plan
    plan = " ".join(
        str(row[-1])
        for row in db.session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM households "
                "WHERE ssw_id = 1 AND status = 'active' AND approval_date >= '2024-01-01'"
            )
        )
    )
    assert "ix_households_ssw_status_approval_date" in plan
