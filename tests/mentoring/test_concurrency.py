"""Two coordinators matching the same mentee at the same moment end with one match (real PostgreSQL transactions)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring import lifecycle
from portal.mentoring.models import Match, Mentee
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_mentee, make_mentor

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if db.dialect != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; SQLite serialises every writer")


def test_two_coordinators_matching_one_mentee_at_once_make_one_match(app):
    town = make_locality()
    coordinators = [make_user(Role.MENTORING_COORDINATOR).id for _ in range(2)]
    mentors = [make_mentor(town).id for _ in range(2)]
    mentee_id = make_mentee(town).id
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def work(i):
        with app.app_context():
            try:
                actor = db.session.get(User, coordinators[i])
                mentee = db.session.get(Mentee, mentee_id)
                barrier.wait(timeout=10)
                results[i] = lifecycle.propose_match(actor, mentee, mentors[i])
            except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(isinstance(r, Match) for r in results) == 1
    assert sum(isinstance(r, lifecycle.MatchRefused) for r in results) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Match)) == 1
