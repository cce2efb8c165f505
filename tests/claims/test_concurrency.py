"""Real concurrent transactions on PostgreSQL: double taps, two staff on one claim, two batches at once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.claims import batches, decisions
from portal.claims.models import Claim, ClaimEvent
from portal.claims.rules import Settings, settings
from portal.claims.services import ClaimConflict, ClaimRefused, LineInput, start_claim, submit_claim
from portal.core.clock import today
from portal.core.db import db
from portal.people.models import Household
from tests.claims.conftest import make_claim
from tests.concurrency import run_together

pytestmark = pytest.mark.postgres_only
S = Settings()


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if db.dialect != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; SQLite serialises every writer")


@pytest.mark.parametrize("times", [1, 2, 3, 4, 5])
def test_the_same_claim_sent_at_once_from_several_taps_creates_exactly_one(app, world, times):
    key, line_key = uuid.uuid4().hex, uuid.uuid4().hex
    carer_id, household_id, child_id = world.carer.id, world.household.id, world.child.id

    def send(_):
        carer, household = db.session.get(User, carer_id), db.session.get(Household, household_id)
        line = LineInput(
            line_date=today() - timedelta(days=1),
            category="holiday",
            idempotency_key=line_key,
            amount_pence=2500,
            child_ids=(child_id,),
        )
        claim, _created = start_claim(carer, household, kind="allowance", idempotency_key=key, line=line, s=settings())
        return submit_claim(carer, claim, settings())

    results = run_together(app, send, times)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Claim.id))) == 1
    assert db.session.scalar(select(func.count(ClaimEvent.id)).where(ClaimEvent.action == "submitted")) == 1
    assert results.count(True) == 1


def test_two_staff_deciding_one_claim_at_once_one_wins_and_the_other_is_told(app, world):
    claim = make_claim(world)
    ids, version = (world.support.id, world.support2.id), claim.version

    def decide(i):
        actor, fresh = db.session.get(User, ids[i]), db.session.get(Claim, claim.id)
        if i == 0:
            return decisions.approve_claim(actor, fresh, version=version, rejected_lines={}, s=S)
        return decisions.reject_claim(actor, fresh, version=version, reason="Not eligible")

    results = run_together(app, decide, 2)
    conflicts = [r for r in results if isinstance(r, ClaimConflict)]
    assert len(conflicts) == 1 and "changed this claim while you were looking" in str(conflicts[0])
    db.session.expire_all()
    final = db.session.get(Claim, claim.id)
    assert final.status in ("approved", "rejected")
    decided = db.session.scalars(
        select(ClaimEvent.action).where(
            ClaimEvent.claim_id == claim.id, ClaimEvent.action.in_(["approved", "rejected"])
        )
    ).all()
    assert len(decided) == 1


def test_two_batches_made_at_once_never_share_a_claim(app, world):
    for _ in range(12):
        claim = make_claim(world)
        decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
    ids = (world.support.id, world.support2.id)

    def make_batch(i):
        return batches.create_batch(db.session.get(User, ids[i]), up_to=today()).id

    results = run_together(app, make_batch, 2)
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, batches.BatchRefused)]
    assert len(made) + len(refused) == 2 and made
    db.session.expire_all()
    rows = db.session.execute(select(Claim.id, Claim.batch_id)).all()
    assert all(batch_id in made for _, batch_id in rows)  # every claim in exactly one batch
    counts = {b: sum(1 for _, x in rows if x == b) for b in made}
    assert sum(counts.values()) == 12


def test_a_late_decision_on_a_claim_already_decided_is_refused(app, world):
    claim = make_claim(world)
    decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
    with pytest.raises((ClaimConflict, ClaimRefused)):
        decisions.reject_claim(world.support2, claim, version=claim.version - 1, reason="Late")
