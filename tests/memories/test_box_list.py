"""The list of memory boxes: the children placed now with a carer's household or a supervising social worker's
households, found from those households' placements and sorted by name: the same rows, order and count as the rule
that opens each box."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.memories.queries import box_children, boxes_visible_to
from portal.people.models import Child
from tests.factories import make_carer_household, make_child, make_user, place
from tests.plans import sqlite_plan, statements_run


@pytest.fixture
def caseload(app):
    """An SSW's two households with nine children placed now (names out of id order, one name twice), children
    whose placement has ended, ends today or has not begun, and a child placed with another SSW's household."""
    ssw = make_user(Role.SSW)
    carer, first = make_carer_household(ssw=ssw)
    _, second = make_carer_household(ssw=ssw)
    _, elsewhere = make_carer_household(ssw=make_user(Role.SSW))
    for n, name in enumerate(["Zara", "Amir", "Millie", "Amir", "Jordan", "Bea", "Theo", "Cal", "Ivy"]):
        place(make_child(first_name=name), first if n % 2 else second)
    place(make_child(first_name="Ended"), first, start=today() - timedelta(days=90), end=today() - timedelta(days=1))
    place(make_child(first_name="Endstoday"), second, start=today() - timedelta(days=90), end=today())
    place(make_child(first_name="Future"), first, start=today() + timedelta(days=2))
    place(make_child(first_name="Aaron"), elsewhere)
    return ssw, carer


def _one_by_one(user) -> list[Child]:
    """The children the box rule opens, each tested, in name order."""
    return list(db.session.scalars(boxes_visible_to(user).order_by(Child.first_name, Child.last_name, Child.id)))


def test_an_ssws_boxes_are_the_same_rows_in_the_same_order_as_each_box_checked(caseload):
    ssw, _ = caseload
    expected = _one_by_one(ssw)
    assert [c.first_name for c in expected] == ["Amir", "Amir", "Bea", "Cal", "Ivy", "Jordan", "Millie", "Theo", "Zara"]
    pages = [box_children(ssw, n, per_page=4) for n in (1, 2, 3, 4)]
    assert [c.id for p in pages[:3] for c in p.items] == [c.id for c in expected]
    assert [p.total for p in pages] == [9] * 4 and pages[3].number == 3  # past the end: the last page


def test_a_carer_sees_the_children_placed_with_their_household_now_by_name(caseload):
    _, carer = caseload
    page = box_children(carer)
    assert [c.first_name for c in page.items] == ["Amir", "Amir", "Bea", "Cal"]
    assert page.items == _one_by_one(carer) and page.total == 4


def _plans(call) -> list[tuple[str, str]]:
    """(statement, SQLite's plan) of each statement `call` runs."""
    return [(s, sqlite_plan(s, p)) for s, p in statements_run(call)]


@pytest.mark.sqlite_only
def test_boxes_are_found_from_the_households_placements_never_by_testing_every_child(caseload):
    ssw, carer = caseload
    for user in (ssw, carer):
        for _, plan in _plans(lambda user=user: box_children(user, per_page=4)):
            assert "ix_placements_household_dates" in plan and "SCAN children" not in plan
