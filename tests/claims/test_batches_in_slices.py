"""Chosen claims join a batch a slice of ids at a time (portal.core.chunks), so a pay run can pay more claims than
PostgreSQL takes parameters in one statement; the rules hold across slices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.claims import batches, decisions
from portal.claims.models import Claim
from portal.claims.rules import Settings
from portal.core import chunks
from portal.core.db import db
from tests.claims.conftest import make_claim

S = Settings()


@pytest.fixture(autouse=True)
def slices_of_two(monkeypatch):
    monkeypatch.setattr(chunks, "SIZE", 2)


def _approved(world, n: int) -> list[Claim]:
    out = []
    for _ in range(n):
        claim = make_claim(world, amount=1000)
        decisions.approve_claim(world.support, claim, version=claim.version, rejected_lines={}, s=S)
        out.append(claim)
    return out


def test_chosen_claims_join_one_batch_across_slices(world):
    claims = _approved(world, 5)
    batch = batches.create_batch(world.support2, claim_ids=[c.id for c in claims])
    assert (batch.claim_count, batch.total_pence) == (5, 5 * 1000)
    assert set(db.session.scalars(select(Claim.batch_id))) == {batch.id}


def test_a_pay_run_batch_is_refused_when_any_claim_in_any_slice_was_batched_meanwhile(world):
    claims = _approved(world, 5)
    batches.create_batch(world.support2, claim_ids=[claims[4].id])  # the last slice
    ids = [c.id for c in claims]
    assert batches.batch_claims_for_pay_run(world.support.id, ids, "PR-00001") is None
    db.session.rollback()
    assert batches.batch_claims_for_pay_run(world.support.id, ids[:4], "PR-00001") is not None
