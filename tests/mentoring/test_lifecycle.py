"""The match lifecycle and its rules: hard limits, 3 days to accept then the next-best, reminders, approval."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.notify import Notification
from portal.mentoring import lifecycle, services
from portal.mentoring.models import Match, MatchEvent, MentorProfile
from tests.factories import make_household, make_locality, make_user
from tests.jobs import drain_jobs
from tests.mentoring.conftest import make_match, make_mentee, make_mentor
from tests.pages import text_of


@pytest.fixture
def town():
    return make_locality("Northtown")


@pytest.fixture
def coordinator():
    return make_user(Role.MENTORING_COORDINATOR)


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"trained": False}, "mentor training not completed"),
        ({"taking": False}, "not taking new mentees"),
        ({"capacity": 0}, "no free place (0 of 0 used)"),
    ],
)
def test_hard_limits_are_never_broken(app, town, coordinator, kwargs, why):
    mentor = make_mentor(town, **kwargs)
    with pytest.raises(lifecycle.MatchRefused, match=why.replace("(", r"\(").replace(")", r"\)")):
        lifecycle.propose_match(coordinator, make_mentee(town), mentor.id)
    assert db.session.scalar(select(Match)) is None


def test_a_mentor_at_capacity_cannot_take_another(app, town, coordinator):
    mentor = make_mentor(town, capacity=1)
    lifecycle.propose_match(coordinator, make_mentee(town, name="First Mentee"), mentor.id)
    with pytest.raises(lifecycle.MatchRefused, match="no free place"):
        lifecycle.propose_match(coordinator, make_mentee(town, name="Second Mentee"), mentor.id)


def test_a_mentee_with_a_live_match_is_not_matched_twice(app, town, coordinator):
    mentee = make_mentee(town)
    lifecycle.propose_match(coordinator, mentee, make_mentor(town).id)
    with pytest.raises(lifecycle.MatchRefused, match="already has a match"):
        lifecycle.propose_match(coordinator, mentee, make_mentor(town).id)


def test_no_answer_in_three_days_asks_the_next_best_and_tells_the_coordinator(app, town, coordinator):
    best = make_mentor(town, name="Best Mentor")
    second = make_mentor(town, name="Second Mentor", ages="16_plus")
    mentee = make_mentee(town)
    first = lifecycle.propose_match(coordinator, mentee, best.id)
    assert lifecycle.expire_proposals(today()) == 0  # not late yet
    assert lifecycle.expire_proposals(first.respond_by + timedelta(days=1)) == 1
    db.session.expire_all()
    assert db.session.get(Match, first.id).status == "timed_out"
    nxt = db.session.scalar(select(Match).where(Match.status == "proposed"))
    assert nxt.mentor_id == second.id and nxt.mentee_id == mentee.id
    notes = db.session.scalars(select(Notification.text).where(Notification.user_id == coordinator.id)).all()
    assert any("did not answer in 3 days" in n and "next-best" in n for n in notes)
    assert lifecycle.expire_proposals(first.respond_by + timedelta(days=1)) == 0  # idempotent


def test_a_decline_asks_the_next_best(app, town, coordinator):
    best, second = make_mentor(town), make_mentor(town, ages="16_plus")
    match = lifecycle.propose_match(coordinator, make_mentee(town), best.id)
    nxt = lifecycle.answer_proposal(best, match, accept=False, note="Away in August")
    assert nxt is not None and nxt.mentor_id == second.id


def test_first_contact_reminder_then_the_coordinator_is_told(app, town, coordinator):
    mentor = make_mentor(town)
    match = make_match(make_mentee(town), mentor)
    match.introduced_on = today() - timedelta(days=8)
    db.session.commit()
    assert lifecycle.remind_first_contacts(today()) == 1
    assert db.session.get(Match, match.id).first_contact_reminded_on == today()
    assert lifecycle.remind_first_contacts(today()) == 0
    assert lifecycle.remind_first_contacts(today() + timedelta(days=3)) == 1
    steps = db.session.scalars(select(MatchEvent.step).where(MatchEvent.match_id == match.id)).all()
    assert "first_contact_reminder" in steps and "first_contact_late" in steps


def test_an_approved_applicant_keeps_their_account_gains_the_carer_role_and_their_match(app, town, coordinator):
    mentee = make_mentee(town)
    match = make_match(mentee, make_mentor(town))
    admin = make_user(Role.ADMIN)
    household = services.record_approval(
        admin,
        mentee,
        approved_on=today(),
        fostering_type="kinship",
        new_household_name="Khan household",
        new_household_reference="FH-900",
        temporary=True,
        extended=True,
    )
    db.session.expire_all()
    user = mentee.user
    assert user.has_role(Role.CARER) and user.has_role(Role.APPLICANT)
    assert household.approval_date == today() and [c.id for c in household.carers] == [user.id]
    assert mentee.temporary_until == today() + timedelta(weeks=16)
    assert mentee.temporary_extended_until == today() + timedelta(weeks=24)
    assert db.session.get(Match, match.id).status == "introduced"


def test_temporary_approval_is_for_connected_carers_only(app, town):
    mentee = make_mentee(town)
    with pytest.raises(services.MentoringRefused, match="connected"):
        services.record_approval(
            make_user(Role.ADMIN),
            mentee,
            approved_on=today(),
            fostering_type="mainstream",
            household_id=make_household(make_user(Role.CARER), locality=town).id,
            temporary=True,
        )


def test_invited_applicant_is_linked_when_they_accept(app, town, coordinator, client, mail_dir):
    from tests.mail import link_in, path_of, read_mail

    mentee = services.invite_applicant(
        coordinator,
        services.MenteeDetails(
            full_name="Rosa Diaz",
            email="rosa@example.org",
            locality_id=town.id,
            fostering_type="short_breaks",
            age_groups=("5_10",),
        ),
    )
    drain_jobs(app)
    link = path_of(link_in(read_mail(mail_dir)[-1]))
    r = client.submit(link, {"password": "a long and new password 2026", "confirm": "a long and new password 2026"})
    assert r.status_code == 302
    mentee.response, mentee.offered_on, mentee.responded_on = "wants", today(), today()
    db.session.commit()
    match = lifecycle.propose_match(coordinator, mentee, make_mentor(town).id)
    assert match.mentee_user_id is not None and match.mentee_user.email == "rosa@example.org"


def test_unanswered_offer_gets_one_reminder(app, town, coordinator, mail_dir):
    from tests.mail import read_mail

    mentee = make_mentee(town, waiting=False)
    mentee.offered_on = today() - timedelta(days=15)
    db.session.commit()
    assert services.remind_unanswered_offers(today()) == 1
    assert services.remind_unanswered_offers(today()) == 0
    drain_jobs(app)
    assert any(m["To"] == mentee.email for m in read_mail(mail_dir))
    assert db.session.get(type(mentee), mentee.id).response == "no_answer"


def test_profiles_keep_the_hard_limits_as_data(app, town):
    mentor = make_mentor(town)
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor.id))
    assert profile.capacity == 2 and profile.taking_mentees


def test_the_unique_index_alone_stops_a_second_live_match(app, town):
    """Even a writer that skips the lock (an import, a script) cannot add a second live match."""
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    mentee = make_mentee(town)
    for mentor in (make_mentor(town), make_mentor(town)):
        db.session.add(Match(mentee_id=mentee.id, mentor_id=mentor.id, status="proposed", respond_by=date.today()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_approval_form_offers_a_few_households_in_a_select_and_reads_many_back_from_what_is_typed(client, town):
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    mentee = make_mentee(town)
    joined = make_household(make_user(Role.CARER), locality=town, name="Rowan household")
    client.sign_in(coordinator)
    url = f"/mentoring/mentees/{mentee.id}/approval"
    assert re.search(r'<select[^>]*name="household_id"', client.get(url).text)  # a few: a select
    for n in range(20):
        make_household(locality=town, name=f"Willow {n:02d} household")
    html = client.get(url).text
    assert re.search(r'<input[^>]*name="household_id"', html) and "Willow 19" not in html  # many: typed
    on = today()
    approved = {"approved_on-day": on.day, "approved_on-month": on.month, "approved_on-year": on.year}
    answer = client.submit(url, {**approved, "fostering_type": "mainstream", "household_id": "Willow"})
    assert answer.status_code == 422 and "More than one household matches" in text_of(answer)
    answer = client.submit(url, {**approved, "fostering_type": "mainstream", "household_id": joined.reference})
    assert answer.status_code == 302
    db.session.expire_all()
    assert mentee.user.id in [c.id for c in db.session.get(type(joined), joined.id).carers]
