"""The log list's page: the same entries, newest first (entry date, then time written), for each kind of reader;
the page is found from the newest-first indexes alone and only its own entries are read whole (issue 12)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.people.models import Child
from portal.people.queries import children_visible_to
from portal.records.models import LogEntry
from portal.records.queries import filtered_logs, page_of_logs
from tests.factories import make_child, make_family, make_household, make_user, place


def _entry(family, child, household, days_ago: int, minute: int, addendum_to=None) -> LogEntry:
    entry = LogEntry(
        child=child,
        household=household,
        author=family.carer,
        entry_date=today() - timedelta(days=days_ago),
        category="other",
        body=f"{days_ago}/{minute}",
        idempotency_key=uuid.uuid4().hex,
        created_at=datetime(2026, 1, 1, 9, minute, tzinfo=UTC),
        addendum_to_id=addendum_to.id if addendum_to else None,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


@pytest.fixture
def world(app):
    family = make_family()
    other = make_child(social_worker=family.social_worker)
    place(other, family.household)
    gone = make_child(social_worker=family.social_worker)
    place(gone, family.household, start=today() - timedelta(days=90), end=today() - timedelta(days=40))
    elsewhere = make_household(ssw=make_user(Role.SSW))
    stranger = make_child()
    place(stranger, elsewhere)
    entries = {
        "old": _entry(family, family.child, family.household, 5, 0),
        "same_day_early": _entry(family, other, family.household, 1, 0),
        "same_day_late": _entry(family, family.child, family.household, 1, 30),
        "newest": _entry(family, other, family.household, 0, 10),
        "gone": _entry(family, gone, family.household, 50, 0),
        "stranger": _entry(family, stranger, elsewhere, 0, 20),
    }
    entries["other_child"] = other
    entries["addendum"] = _entry(family, family.child, family.household, 0, 40, addendum_to=entries["old"])
    return family, entries


def _bodies(user, number=1):
    page = page_of_logs(filtered_logs(user), number, count_up_to=1_000)
    return [e.body for e in page.items], page.total


def test_each_reader_gets_the_same_entries_newest_first(world):
    family, e = world
    expected = ["newest", "same_day_late", "same_day_early", "old"]
    as_bodies = [e[k].body for k in expected]
    assert _bodies(family.carer) == (as_bodies, 4)  # not the child who left, nor the addendum
    assert _bodies(family.ssw) == ([e[k].body for k in [*expected[:3], "old", "gone"]], 5)
    assert _bodies(family.social_worker) == ([e[k].body for k in [*expected[:3], "old", "gone"]], 5)
    admin = make_user(Role.ADMIN)
    assert _bodies(admin)[0][:2] == [e["stranger"].body, e["newest"].body]


def test_a_page_past_the_end_shows_the_last_page(world):
    family, e = world
    assert _bodies(family.carer, number=9)[0][0] == e["newest"].body


def test_a_carer_s_children_are_those_placed_with_them_now(world):
    family, e = world
    rows = db.session.scalars(children_visible_to(family.carer).order_by(Child.first_name, Child.id)).all()
    assert {c.id for c in rows} == {family.child.id, e["other_child"].id}  # not the child who left, nor a stranger


def _plan(stmt) -> str:
    compiled = stmt.compile(db.engine)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values()))
    return "\n".join(str(r[-1]) for r in rows)


@pytest.mark.sqlite_only
def test_a_carer_s_page_is_walked_newest_first_from_their_household_s_index(world):
    family, _ = world
    plan = _plan(filtered_logs(family.carer).with_only_columns(LogEntry.id).limit(25))
    assert "ix_log_entries_household_newest" in plan and "TEMP B-TREE" not in plan


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("who", "index"), [("ssw", "household"), ("social_worker", "child")])
def test_a_caseload_s_page_is_sorted_from_the_index_alone(world, who, index):
    family, _ = world
    plan = _plan(filtered_logs(getattr(family, who)).with_only_columns(LogEntry.id).limit(25))
    assert f"COVERING INDEX ix_log_entries_{index}_newest" in plan


@pytest.mark.sqlite_only
def test_a_carer_s_children_are_found_from_their_placements_not_every_child(world):
    family, _ = world
    plan = _plan(children_visible_to(family.carer))
    assert "SCAN children" not in plan
