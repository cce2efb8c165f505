"""A mentee's record agrees with itself: their stage and approval, their account, and whether they still wait."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.mentoring import lifecycle, queries
from portal.mentoring.models import Mentee
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_mentee, make_mentor
from tests.pages import text_of


def test_a_mentee_whose_mentoring_ended_stops_waiting_and_waits_again_if_a_new_offer_is_declined(app):
    town = make_locality("Northtown")
    first, second = make_mentor(town, name="First Mentor"), make_mentor(town, name="Second Mentor")
    mentee = make_mentee(town)
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    match = lifecycle.propose_match(coordinator, mentee, first.id)
    lifecycle.end_match(coordinator, match, "First year complete")
    assert queries.waiting_mentees() == []
    again = lifecycle.propose_match(coordinator, mentee, second.id)
    lifecycle.answer_proposal(second, again, accept=False)
    assert queries.waiting_mentees() == [mentee]


def test_an_approved_mentee_from_the_old_records_is_not_shown_as_unapproved_or_invited(client):
    town = make_locality("Northtown")
    mentee = Mentee(
        full_name="Former Carer",
        email="former@example.org",
        locality_id=town.id,
        fostering_type="mainstream",
        stage="approved",
    )
    db.session.add(mentee)
    db.session.commit()
    client.sign_in(make_user(Role.MENTORING_COORDINATOR))
    page = text_of(client.get(f"/mentoring/mentees/{mentee.id}"))
    assert "No Hearth account" in page and "Invitation sent" not in page
    assert "Yes, date not recorded" in page and "Not yet" not in page
    assert "Record their approval" not in page


@pytest.mark.one_database
@pytest.mark.long
def test_the_demo_mentees_stage_and_approval_agree_and_nobody_has_waited_for_months(app, demo):
    mentees = db.session.scalars(select(Mentee)).all()
    assert mentees
    assert [m.full_name for m in mentees if (m.stage == "approved") != (m.approved_on is not None)] == []
    assert all(m.approved_on > today() - timedelta(days=365) for m in mentees if m.approved_on)
    waiting = queries.waiting_mentees()
    assert waiting and all(m.responded_on > today() - timedelta(days=90) for m in waiting)


@pytest.mark.one_database
@pytest.mark.long
def test_demo_people_have_different_names(app, demo):
    names = db.session.scalars(select(User.full_name)).all()
    assert sorted({n for n in names if names.count(n) > 1}) == []
