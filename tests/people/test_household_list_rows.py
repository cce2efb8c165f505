"""A child's social worker's households: the same rows whether read for a page (households tested in name order) or
counted (found from their children's placements), and the count does not test every household (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.people.models import Household
from portal.people.queries import households_visible_to
from tests.factories import make_child, make_household, make_user, place


@pytest.fixture
def worker(app):
    worker = make_user(Role.CHILD_SW)
    for name in ("Yew", "Ash", "Mill"):
        place(make_child(social_worker=worker), make_household(name=f"{name} household"))
    left = make_child(social_worker=worker)
    place(
        left,
        make_household(name="Former household"),
        start=today() - timedelta(days=90),
        end=today() - timedelta(days=9),
    )
    place(make_child(), make_household(name="Other household"))  # someone else's child
    return worker


def test_the_page_and_the_count_hold_the_same_households_in_name_order(worker):
    page = db.session.scalars(households_visible_to(worker).order_by(Household.name, Household.id)).all()
    counted = db.session.scalars(households_visible_to(worker, counting=True).order_by(Household.name)).all()
    assert [h.name for h in page] == ["Ash household", "Mill household", "Yew household"]
    assert [h.id for h in counted] == [h.id for h in page]


@pytest.mark.sqlite_only
def test_the_count_starts_from_the_worker_s_children(worker):
    compiled = households_visible_to(worker, counting=True).compile(db.engine)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values()))
    plan = "\n".join(str(r[-1]) for r in rows)
    assert "ix_children_social_worker_name" in plan and "SCAN households" not in plan
