"""Per mentee per month: one mentoring line for each calendar month a match ran under the model, paid once, at the
rate in force that month, in the pay-run preview and on the mentor's payments page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring.contacts import log_contact
from portal.mentoring.models import MatchStatus, PayModel
from portal.mentoring.payroll import contacts_due, month_key, months_due
from portal.payments import runs
from portal.payments.engine import compute_run
from portal.payments.inputs import build_input
from portal.payments.models import HouseholdPayment, PaymentRate
from portal.people.queries import household_of
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_match, make_mentee, make_mentor
from tests.pages import text_of
from tests.payments.conftest import set_up_payments


def _running(mentor, town, name: str, introduced: date | None, ended: date | None = None):
    status = MatchStatus.ENDED if ended else MatchStatus.INTRODUCED if introduced else MatchStatus.PROPOSED
    match = make_match(make_mentee(town, name=name), mentor, status=status)
    match.introduced_on, match.ended_on = introduced, ended
    db.session.commit()
    return match


def _months(rows) -> dict[int, list[tuple[str, date]]]:
    """Match id -> [(YYYY-MM, first day counted)] from months_due rows."""
    out: dict[int, list[tuple[str, date]]] = {}
    for key, _household, on, _label in rows:
        match_id = int(key.removeprefix("mentoring:match-").split("-")[0])
        out.setdefault(match_id, []).append((key[-7:], on))
    return out


def test_a_month_counts_when_the_match_ran_on_any_day_of_it(app):
    town = make_locality()
    mentor = make_mentor(town, capacity=9)
    db.session.add(PayModel(model="per_mentee_month", effective_from=date(2025, 1, 1)))
    db.session.commit()
    mid_month = _running(mentor, town, "Mid Month", date(2026, 4, 10))
    ended = _running(mentor, town, "Ended June", date(2026, 4, 10), ended=date(2026, 6, 20))
    ended_on_first = _running(mentor, town, "Ended First", date(2026, 5, 3), ended=date(2026, 7, 1))
    one_night = _running(mentor, town, "One Night", date(2026, 4, 30), ended=date(2026, 5, 1))
    same_day = _running(mentor, town, "Same Day", date(2026, 4, 12), ended=date(2026, 4, 12))
    proposed = _running(mentor, town, "Never Introduced", None)
    before_payments = _running(mentor, town, "Long Running", date(2025, 11, 15))

    months = _months(months_due(date(2026, 7, 15), since=date(2026, 3, 16)))

    assert months[mid_month.id] == [
        ("2026-04", date(2026, 4, 10)),  # started mid-month: the month counts, from the day it started
        ("2026-05", date(2026, 5, 1)),
        ("2026-06", date(2026, 6, 1)),
        ("2026-07", date(2026, 7, 1)),  # earned on its first day, so paid in the run whose period reaches it
    ]
    assert [m for m, _ in months[ended.id]] == ["2026-04", "2026-05", "2026-06"]  # ended 20 June: June counts
    assert [m for m, _ in months[ended_on_first.id]] == ["2026-05", "2026-06"]  # ended 1 July: July does not
    assert [m for m, _ in months[one_night.id]] == ["2026-04"]
    assert same_day.id not in months and proposed.id not in months
    # Running since before the service paid through Hearth: nothing before `since` (16 March) is paid.
    assert months[before_payments.id][0] == ("2026-03", date(2026, 3, 16))
    # Up to the period's end only: a run ending on 31 May pays no June.
    assert [m for m, _ in _months(months_due(date(2026, 5, 31), since=date(2026, 3, 16)))[mid_month.id]] == [
        "2026-04",
        "2026-05",
    ]


def test_a_change_of_model_pays_contacts_before_it_and_months_after_it(app):
    town = make_locality()
    mentor = make_mentor(town)
    match = _running(mentor, town, "Amira Khan", date(2026, 3, 2))
    db.session.add_all(
        [
            PayModel(model="per_hour", effective_from=date(2025, 1, 1)),
            PayModel(model="per_mentee_month", effective_from=date(2026, 5, 15)),
        ]
    )
    db.session.commit()
    before = log_contact(mentor, match, on=date(2026, 5, 10), minutes=90, how="phone", topics=[])
    log_contact(mentor, match, on=date(2026, 5, 20), minutes=60, how="phone", topics=[])
    contacts = contacts_due(date(2026, 6, 30), since=date(2026, 3, 1))
    assert [(c[0], c[4]) for c in contacts] == [(before.id, Decimal("1.50"))]  # per hour, on its own day's model
    months = _months(months_due(date(2026, 6, 30), since=date(2026, 3, 1)))
    assert months[match.id] == [("2026-05", date(2026, 5, 15)), ("2026-06", date(2026, 6, 1))]
    # Back to per contact from July: July is not paid per mentee.
    db.session.add(PayModel(model="per_contact", effective_from=date(2026, 7, 1)))
    db.session.commit()
    assert [m for m, _ in _months(months_due(date(2026, 8, 31), since=date(2026, 3, 1)))[match.id]] == [
        "2026-05",
        "2026-06",
    ]


def _rate(amount_pence: int, start: date, end: date | None = None) -> None:
    db.session.add(
        PaymentRate(
            kind="mentoring",
            code="mentee_month",
            label="Mentoring, per mentee per month",
            basis="per_mentee_month",
            amount_pence=amount_pence,
            effective_from=start,
            effective_to=end,
            source="Test scheme policy",
        )
    )
    db.session.commit()


def test_each_month_is_paid_at_the_rate_in_force_for_it(app):
    start = set_up_payments()
    next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    _rate(4000, start, next_month - timedelta(days=1))
    _rate(4500, next_month)
    db.session.add(PayModel(model="per_mentee_month", effective_from=start))
    db.session.commit()
    town = make_locality()
    match = _running(make_mentor(town), town, "Amira Khan", start - timedelta(days=40))
    result = compute_run(build_input(start, next_month + timedelta(days=3)))
    lines = [ln for ln in result.lines if ln.kind == "mentoring"]
    assert [(ln.key, ln.amount_pence) for ln in lines] == [
        (month_key(match.id, start), 4000),
        (month_key(match.id, next_month), 4500),
    ]
    assert lines[1].description == f"Mentoring, Amira, {next_month:%B %Y} (per mentee per month): £45.00"


def test_a_month_is_paid_once_in_the_preview_and_shown_to_the_mentor(app, client):
    start = set_up_payments()
    _rate(4000, start)
    db.session.add(PayModel(model="per_mentee_month", effective_from=start))
    db.session.commit()
    town = make_locality()
    mentor = make_mentor(town)
    match = _running(mentor, town, "Amira Khan", start - timedelta(days=40))
    log_contact(mentor, match, on=start + timedelta(days=2), minutes=40, how="phone", topics=[])
    support = make_user(Role.BUSINESS_SUPPORT)
    run = runs.create_pay_run(support)
    result = runs.preview(run)
    lines = [ln for ln in result.lines if ln.kind == "mentoring"]
    # The month, not the contact: the contact's day is under the per-mentee model.
    assert [(ln.key, ln.amount_pence) for ln in lines] == [(month_key(match.id, start), 4000)]
    client.sign_in(support)
    assert f"Mentoring, Amira, {start:%B %Y} (per mentee per month): £40.00" in text_of(
        client.get(f"/pay-runs/{run.id}")
    )
    runs.confirm_pay_run(support, run, runs.fingerprint(result))

    later = build_input(run.period_end + timedelta(days=1), run.period_end + timedelta(days=7))
    assert month_key(match.id, start) not in {m.key for m in later.mentoring_months}  # paid once only
    assert all(m.on > run.period_end for m in later.mentoring_months)

    payment = db.session.scalar(
        select(HouseholdPayment).where(HouseholdPayment.household_id == household_of(mentor).id)
    )
    client = app.test_client()
    client.sign_in(mentor)
    assert f"Mentoring, Amira, {start:%B %Y} (per mentee per month)" in text_of(client.get(f"/payments/{payment.id}"))
