"""A supervising social worker's children, listed: found from their households' current placements (so a page costs
what the caseload holds, not every child in the service tested), the same children as the check of one child."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.memories.queries import box_children, boxes_visible_to, moderation_children
from portal.people.models import Child
from portal.people.queries import children_visible_to
from tests.factories import make_child, make_household, make_user, place
from tests.pages import text_of
from tests.plans import sqlite_plan, statements_run


def _caseload():
    """An SSW with two households: children placed now, one whose placement ended, one not yet placed, and one
    placed now with another SSW's household."""
    ssw, other = make_user(Role.SSW), make_user(Role.SSW)
    first, second, elsewhere = make_household(ssw=ssw), make_household(ssw=ssw), make_household(ssw=other)
    now = today()
    for name in ("Zara", "Amir", "Maya"):
        place(make_child(first_name=name), first)
    place(make_child(first_name="Bea"), second)
    place(make_child(first_name="Ended"), second, start=now - timedelta(days=90), end=now - timedelta(days=1))
    place(make_child(first_name="Later"), second, start=now + timedelta(days=3))
    place(make_child(first_name="Other"), elsewhere)
    moved = make_child(first_name="Moved")  # lived with the SSW's household, now with another's
    place(moved, first, start=now - timedelta(days=90), end=now - timedelta(days=10))
    place(moved, elsewhere, start=now - timedelta(days=10))
    return ssw


def _names(stmt) -> list[str]:
    return [c.first_name for c in db.session.scalars(stmt.order_by(Child.first_name, Child.last_name, Child.id))]


def test_listing_finds_the_same_children_as_the_check_of_each(app):
    ssw = _caseload()
    carer_ssw = make_user(Role.SSW, Role.CHILD_SW)
    make_child(first_name="Allocated", social_worker=carer_ssw)
    place(make_child(first_name="Placed"), make_household(ssw=carer_ssw))
    for user in (ssw, carer_ssw):
        assert _names(children_visible_to(user, listing=True)) == _names(children_visible_to(user))
        listed = [c.first_name for c in box_children(user).items]  # listed from their households' placements
        assert listed == _names(boxes_visible_to(user))
    assert _names(children_visible_to(ssw, listing=True)) == ["Amir", "Bea", "Maya", "Zara"]
    assert _names(children_visible_to(carer_ssw, listing=True)) == ["Allocated", "Placed"]


def test_the_ssw_s_children_list_and_boxes_show_their_caseload_in_name_order(client):
    ssw = _caseload()
    client.sign_in(ssw)
    page = text_of(client.get("/children"))
    assert [n for n in ("Amir", "Bea", "Maya", "Zara") if n in page] == ["Amir", "Bea", "Maya", "Zara"]
    assert page.index("Amir") < page.index("Bea") < page.index("Maya") < page.index("Zara")
    assert not any(n in page for n in ("Ended", "Later", "Other", "Moved"))
    boxes = box_children(ssw)
    assert [c.first_name for c in boxes.items] == ["Amir", "Bea", "Maya", "Zara"] and boxes.total == 4


def test_an_ssw_moderates_the_boxes_of_the_children_living_in_their_households_now(app):
    ssw = _caseload()
    both = make_user(Role.SSW, Role.CHILD_SW)
    make_child(first_name="Allocated", social_worker=both)
    place(make_child(first_name="Placed"), make_household(ssw=both))
    for user, expected in ((ssw, ["Amir", "Bea", "Maya", "Zara"]), (both, ["Allocated", "Placed"])):
        assert _names(select(Child).where(Child.id.in_(moderation_children(user)))) == expected


def _plans(statements) -> list[str]:
    return [sqlite_plan(sql, params, " | ") for sql, params in statements if "FROM children" in sql]


@pytest.mark.sqlite_only
def test_the_ssw_s_lists_read_their_households_placements_not_every_child(client):
    ssw = _caseload()
    client.sign_in(ssw)
    for url in ("/children", "/memory-box", "/logs"):
        plans = _plans(statements_run(lambda url=url: client.get(url).close()))
        assert plans, url
        for plan in plans:
            assert "SCAN children" not in plan, (url, plan)
            assert "COVERING INDEX ix_placements_household_dates" in plan, (url, plan)
