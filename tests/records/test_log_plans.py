"""Lists of log entries are read from indexes, not from every entry: newest first from the index of entries that
are not addenda, and never through the addendum index (which holds only addenda)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.records.models import LogEntry
from portal.records.queries import filtered_logs
from tests.factories import make_user

pytestmark = pytest.mark.sqlite_only  # SQLite plans without statistics; PostgreSQL's plans depend on them


def _plan(stmt) -> str:
    compiled = stmt.compile(db.engine)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values()))
    return "\n".join(str(r[-1]) for r in rows)


def test_the_newest_entries_are_read_in_index_order_not_sorted_from_all(app):
    plan = _plan(filtered_logs(make_user(Role.ADMIN)).limit(25))
    assert "ix_log_entries_newest" in plan and "TEMP B-TREE" not in plan


def test_a_caseload_s_entries_are_found_by_child_never_through_the_addendum_index(app):
    plan = _plan(filtered_logs(make_user(Role.CHILD_SW)).limit(25))
    assert "ix_log_entries_addendum_to_id" not in plan


def test_an_entry_s_addenda_are_still_found_through_their_index(app):
    plan = _plan(select(LogEntry).where(LogEntry.addendum_to_id == 7))
    assert "ix_log_entries_addendum_to_id" in plan
