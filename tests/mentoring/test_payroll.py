"""Logged contacts are paid once, in the next pay run, as `mentoring` lines to the mentor's household."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring.contacts import log_contact
from portal.mentoring.models import PayModel
from portal.mentoring.payroll import contacts_due
from portal.payments import runs
from portal.payments.inputs import build_input
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_match, make_mentee, make_mentor
from tests.payments.conftest import set_up_payments


def test_a_contact_is_paid_in_the_next_run_and_never_again(app, client):
    start = set_up_payments()
    town = make_locality()
    mentor = make_mentor(town)
    match = make_match(make_mentee(town), mentor)
    match.introduced_on = start
    db.session.commit()
    contact = log_contact(mentor, match, on=start + timedelta(days=2), minutes=40, how="phone", topics=["tsd"])
    support = make_user(Role.BUSINESS_SUPPORT)
    run = runs.create_pay_run(support)
    result = runs.preview(run)
    lines = [ln for ln in result.lines if ln.kind == "mentoring"]
    assert [ln.key for ln in lines] == [f"mentoring:{contact.id}"] and lines[0].amount_pence == 2500
    runs.confirm_pay_run(support, run, runs.fingerprint(result))
    later = build_input(run.period_end + timedelta(days=1), run.period_end + timedelta(days=7))
    assert not later.mentoring  # paid once: a confirmed run's line is not offered again
    # The mentor sees the line on their payments page.
    from sqlalchemy import select

    from portal.payments.models import HouseholdPayment
    from portal.people.queries import household_of
    from tests.pages import text_of

    payment = db.session.scalar(
        select(HouseholdPayment).where(HouseholdPayment.household_id == household_of(mentor).id)
    )
    client.sign_in(mentor)
    assert "Mentoring, contact with Amira, 40 minutes" in text_of(client.get(f"/payments/{payment.id}"))


def test_contacts_before_payments_started_are_not_paid_and_hours_are_counted_per_hour(app):
    start = set_up_payments()
    town = make_locality()
    mentor = make_mentor(town)
    match = make_match(make_mentee(town), mentor)
    match.introduced_on = start - timedelta(days=30)
    db.session.commit()
    log_contact(mentor, match, on=start - timedelta(days=3), minutes=30, how="phone", topics=[])
    kept = log_contact(mentor, match, on=start + timedelta(days=1), minutes=90, how="video", topics=[])
    rows = contacts_due(start + timedelta(days=6), since=start)
    assert [r[0] for r in rows] == [kept.id] and rows[0][4] == Decimal(1)
    db.session.add(PayModel(model="per_hour", effective_from=start - timedelta(days=365)))
    db.session.commit()
    assert contacts_due(start + timedelta(days=6), since=start)[0][4] == Decimal("1.50")
    # The engine pays the rate per hour: 90 minutes at the demo's contact rate is one and a half of it.
    support = make_user(Role.BUSINESS_SUPPORT)
    result = runs.preview(runs.create_pay_run(support))
    rate = next(ln.amount_pence for ln in result.lines if ln.key == f"mentoring:{kept.id}")
    assert rate == 3750
