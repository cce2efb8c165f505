"""What needs a mentor, a mentee and a coordinator now; how mentors are paid, effective-dated."""

from __future__ import annotations

from datetime import date, timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.hub.needs import needs_for
from portal.mentoring import lifecycle, services
from portal.mentoring.conversations import send_message
from portal.mentoring.payroll import pay_model_on
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_match, make_mentee, make_mentor


def test_needs_for_a_mentor_a_mentee_and_the_coordinator(app):
    town = make_locality()
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    mentor = make_mentor(town)
    waiting = make_mentee(town, name="Waiting Person")
    assert [n.kind for n in needs_for(coordinator, today())] == ["mentees_waiting"]
    lifecycle.propose_match(coordinator, waiting, mentor.id)
    assert "mentoring_request" in [n.kind for n in needs_for(mentor, today())]
    talking = make_mentee(town, name="Talking Person")
    match = make_match(talking, mentor)
    assert "mentoring_first_contact" in [n.kind for n in needs_for(mentor, today())]
    send_message(mentor, match, "Hello")
    kinds = {n.kind: n for n in needs_for(talking.user, today())}
    assert kinds["mentoring_messages"].count == 1 and "Hello" not in kinds["mentoring_messages"].text


def test_the_pay_model_is_effective_dated(app):
    admin = make_user(Role.ADMIN)
    assert pay_model_on(today()) == "per_contact"
    services.set_pay_model(admin, "per_hour", date(2026, 4, 1), "Scheme policy 2026")
    assert pay_model_on(date(2026, 3, 31)) == "per_contact"
    assert pay_model_on(date(2026, 4, 1)) == "per_hour"
    services.set_pay_model(admin, "per_contact", date(2026, 4, 1), "Corrected")
    assert pay_model_on(date(2026, 4, 1) + timedelta(days=9)) == "per_contact"
    db.session.rollback()
