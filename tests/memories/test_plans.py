"""Memory reads use the child's timeline index, never the moderation queue's index on status, which SQLite (planning
without statistics) would otherwise take for `status = 'approved'` and read every approved memory of the service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from portal.core.db import db, unindexed
from portal.memories import queries
from portal.memories.models import MemoryItem


def _plan(stmt, params: dict) -> str:
    compiled = stmt.compile(db.engine)
    values = compiled.construct_params(params)
    rows = db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}", tuple(values[name] for name in compiled.positiontup)
    )
    return "\n".join(str(r[-1]) for r in rows)


@pytest.mark.sqlite_only
def test_on_this_day_reads_the_carer_s_children_s_timelines(app):
    days = {f"day{n}": date(2026 - n, 12, 1) for n in range(1, queries.CHILDHOOD_YEARS + 1)}
    plan = _plan(queries._ON_THIS_DAY, {"user_id": 1, "on": date(2026, 12, 1), "limit": 6, **days})
    assert "ix_memory_items_timeline (child_id=? AND memory_date=?)" in plan
    assert "ix_memory_items_queue" not in plan


@pytest.mark.sqlite_only
def test_a_young_person_s_box_is_read_from_its_timeline(app):
    from portal.memories.timeline import SHOWN, rule_clause

    stmt = select(MemoryItem.id).where(MemoryItem.child_id == 7, rule_clause(SHOWN)).order_by(MemoryItem.memory_date)
    plan = _plan(stmt, {})
    assert "ix_memory_items_timeline" in plan and "ix_memory_items_queue" not in plan


def test_unindexed_is_sqlite_s_unary_plus_and_the_column_itself_elsewhere():
    condition = unindexed(MemoryItem.status) == "approved"
    assert str(condition.compile(dialect=sqlite.dialect())) == "+memory_items.status = ?"
    assert str(condition.compile(dialect=postgresql.dialect())).startswith("memory_items.status = %(param_1)s")
