"""The batch: a proposal for everyone waiting that the coordinator reviews and changes before anything is sent."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring import lifecycle
from portal.mentoring.models import Match
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_mentee, make_mentor


def test_the_coordinator_changes_the_proposed_batch_before_it_is_sent(app, client):
    town, far = make_locality("Northtown"), make_locality("Farbridge")
    near_mentor, far_mentor = make_mentor(town, name="Near Mentor"), make_mentor(far, name="Far Mentor")
    first, second = make_mentee(town, name="First Waiting"), make_mentee(far, name="Second Waiting")
    client.sign_in(make_user(Role.MENTORING_COORDINATOR))
    page = client.get("/mentoring/batch")
    assert page.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0  # looking sends nothing
    chosen = dict(re.findall(r'name="mentor-(\d+)">.*?<option value="(\d+)" selected', page.text, re.S))
    assert chosen == {str(first.id): str(near_mentor.id), str(second.id): str(far_mentor.id)}
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/mentoring/batch",
        data={"csrf_token": token, f"mentor-{first.id}": str(near_mentor.id), f"mentor-{second.id}": ""},
    )
    assert r.status_code == 302
    matches = db.session.scalars(select(Match)).unique().all()
    assert [(m.mentee_id, m.mentor_id, m.status) for m in matches] == [(first.id, near_mentor.id, "proposed")]


def test_a_batch_where_nobody_can_be_asked_shows_the_problem_and_no_success(app, client):
    town = make_locality("Northtown")
    mentor = make_mentor(town, capacity=1, name="Only Mentor")
    first, second = make_mentee(town, name="First Waiting"), make_mentee(town, name="Second Waiting")
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    client.sign_in(coordinator)
    page = client.get("/mentoring/batch")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    lifecycle.propose_match(coordinator, first, mentor.id)  # the mentor's only place is taken meanwhile
    r = client.post("/mentoring/batch", data={"csrf_token": token, f"mentor-{second.id}": str(mentor.id)})
    assert r.status_code == 422
    assert "There is a problem" in r.text
    assert "Success" not in r.text and "have been asked" not in r.text
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1


def test_the_mentor_lists_fit_a_narrow_phone_screen(app, client):
    town = make_locality("Northtown")
    make_mentor(town, name="Alexandria Montgomery-Fitzwilliam")
    mentee = make_mentee(town, name="First Waiting")
    client.sign_in(make_user(Role.MENTORING_COORDINATOR))
    page = client.get("/mentoring/batch")
    # A full-width select in the stacked table shrinks to the screen instead of growing with its longest option.
    assert re.search(rf'<select class="govuk-select govuk-!-width-full" id="mentor-{mentee.id}"', page.text)
