"""A carer's list of their household's claims: newest first (ties by number), another carer's drafts left out,
counted in the same statement up to a cap, past which it says "more than" and pages on; a page past the end is the
last."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from portal.auth.roles import Role
from portal.claims import carer_list
from portal.claims.carer_list import household_claim_rows
from portal.claims.models import Claim, ClaimStatus
from portal.core.db import db
from portal.people.models import HouseholdMember
from tests.factories import make_carer_household, make_user

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _claim(household_id: int, claimant_id: int, status: str, at: datetime) -> int:
    claim = Claim(
        kind="allowance",
        status=status,
        household_id=household_id,
        claimant_id=claimant_id,
        idempotency_key=uuid.uuid4().hex,
        created_at=at,
    )
    db.session.add(claim)
    db.session.flush()
    return claim.id


@pytest.fixture
def household(app):
    """Two carers of one household: each one's draft and claims made at the same moment, and another household's."""
    carer, home = make_carer_household()
    partner = make_user(Role.CARER)
    db.session.add(HouseholdMember(household_id=home.id, user_id=partner.id))
    other_carer, other = make_carer_household()
    ids = {
        "oldest": _claim(home.id, carer.id, ClaimStatus.PAID, AT - timedelta(days=9)),
        "tie_1": _claim(home.id, partner.id, ClaimStatus.SUBMITTED, AT),
        "tie_2": _claim(home.id, carer.id, ClaimStatus.APPROVED, AT),
        "own_draft": _claim(home.id, carer.id, ClaimStatus.DRAFT, AT + timedelta(days=1)),
        "partners_draft": _claim(home.id, partner.id, ClaimStatus.DRAFT, AT + timedelta(days=2)),
        "newest": _claim(home.id, partner.id, ClaimStatus.QUERIED, AT + timedelta(days=3)),
        "other_household": _claim(other.id, other_carer.id, ClaimStatus.SUBMITTED, AT + timedelta(days=4)),
    }
    db.session.commit()
    return carer, ids


def test_newest_first_with_ties_by_number_and_only_the_carers_own_drafts(household):
    carer, ids = household
    page = household_claim_rows(carer)
    expected = [ids[k] for k in ("newest", "own_draft", "tie_2", "tie_1", "oldest")]
    assert [r.id for r in page.items] == expected and (page.total, page.more) == (5, False)
    pages = [household_claim_rows(carer, n, per_page=2) for n in (1, 2, 3, 4)]
    assert [r.id for p in pages[:3] for r in p.items] == expected
    assert [p.total for p in pages] == [5] * 4 and pages[3].number == 3  # past the end: the last page


def test_a_count_past_the_cap_says_more_than_and_pages_on(household, monkeypatch):
    carer, ids = household
    monkeypatch.setattr(carer_list, "CLAIMS_COUNTED", 3)
    expected = [ids[k] for k in ("newest", "own_draft", "tie_2", "tie_1", "oldest")]
    first = household_claim_rows(carer, 1, per_page=2)
    assert [r.id for r in first.items] == expected[:2]
    assert (first.total, first.more, first.has_next, first.pages) == (3, True, True, 2)
    last = household_claim_rows(carer, 3, per_page=2)
    assert [r.id for r in last.items] == expected[4:] and (last.more, last.has_next) == (True, False)


def test_a_carer_in_no_household_has_an_empty_list(app):
    page = household_claim_rows(make_user(Role.CARER))
    assert (page.items, page.total, page.more) == ([], 0, False)


@pytest.mark.sqlite_only
def test_the_page_is_read_newest_first_from_the_households_index(household):
    carer, _ = household
    seen: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        household_claim_rows(carer)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    [(statement, params)] = seen  # the page and its count: one statement
    plan = " ".join(
        str(r[-1]) for r in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
    )
    assert "ix_claims_household_created" in plan and "TEMP B-TREE" not in plan
