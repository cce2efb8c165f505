"""Reads that stay flat as a service grows, pinned to SQLite's plans (without statistics, as a new service has):
a carer's newest queried claims are found through the index of household and status, so only the few queried
claims are sorted, not every claim the household has made; the placements running now are counted from the two
ranges of an index that hold them, not from every placement; newsletters are read newest first from their own
index and counted from their own rows, each one's file checked, not found among every ready file in the service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.claims.needs import _QUERIED
from portal.core.db import db
from portal.people.models import Placement
from portal.people.queries import current_placement_clause
from tests.plans import sqlite_plan

pytestmark = pytest.mark.sqlite_only  # SQLite's plans; PostgreSQL's depend on its statistics


def _plan(stmt, **params) -> str:
    compiled = stmt.compile(dialect=db.engine.dialect)
    values = {**compiled.params, **params}
    return sqlite_plan(str(compiled), tuple(values[name] for name in compiled.positiontup))


def test_a_carer_s_queried_claims_are_found_by_household_and_status(app):
    plan = _plan(_QUERIED, user_id=1)
    assert "ix_claims_household_status_created (household_id=? AND status=?)" in plan, plan


def test_the_placements_running_now_are_counted_from_the_index_of_end_dates(app):
    plan = _plan(select(func.count(Placement.id)).where(current_placement_clause(date(2026, 12, 1))))
    assert "ix_placements_current" in plan and "SCAN placements" not in plan, plan


def test_newsletters_are_read_in_date_order_not_found_among_every_ready_file(app):
    from portal.hub.queries import newsletters

    plan = _plan(newsletters().limit(25))
    assert "ix_stored_files_status" not in plan and "TEMP B-TREE" not in plan, plan


def test_newsletters_are_counted_from_the_newsletters_not_every_ready_file(app):
    from portal.hub.queries import newsletters

    plan = _plan(select(func.count()).select_from(newsletters().order_by(None).subquery()))
    assert "SCAN stored_files" not in plan and "ix_stored_files_status" not in plan, plan


def test_certificates_to_verify_are_found_from_the_certificates_not_every_ready_file(app):
    from portal.training.queries import certificates_to_verify

    plan = _plan(certificates_to_verify().limit(25))
    assert "ix_stored_files_status" not in plan, plan
