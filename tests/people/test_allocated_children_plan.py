"""A child's social worker's home lists their children a page at a time, read in name order from an index rather than
sorting every child allocated to them; the count stops at ALLOCATED_COUNTED."""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.core.db import db
from portal.people import queries
from tests.factories import make_child, make_user
from tests.plans import sqlite_plan, statements_run


@pytest.mark.sqlite_only
def test_the_page_of_children_is_read_in_index_order(app):
    worker = make_user(Role.CHILD_SW)
    for name in ("Zara", "Amir", "Maya"):
        make_child(first_name=name, social_worker=worker)
    db.session.commit()
    seen = statements_run(lambda: queries.allocated_children(worker))
    plan = sqlite_plan(*next((s, p) for s, p in seen if "ORDER BY children.first_name" in s))
    assert "ix_children_social_worker_name" in plan and "TEMP B-TREE" not in plan


def test_children_come_in_name_order_with_their_count(app):
    worker = make_user(Role.CHILD_SW)
    for name in ("Zara", "Amir", "Maya"):
        make_child(first_name=name, social_worker=worker)
    make_child(first_name="Other")  # someone else's
    db.session.commit()
    page = queries.allocated_children(worker)
    assert [child.first_name for child, _ in page.items] == ["Amir", "Maya", "Zara"] and page.total == 3
