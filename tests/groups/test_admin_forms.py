"""Admins list groups and keep school holidays through the forms; a term-time group then skips the holidays."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.groups.models import SupportGroup
from tests.factories import make_locality, make_user
from tests.pages import text_of


def _date(prefix: str, day) -> dict:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_an_admin_lists_a_term_time_group_that_skips_the_school_holidays(client):
    loc = make_locality("Westfield")
    coordinator = make_user(Role.GROUP_COORDINATOR, name="Gwen Group")
    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    start = today() + timedelta(days=1)
    holiday_from, holiday_to = start, start + timedelta(days=20)
    response = client.submit(
        "/groups/school-holidays",
        {"label": "Half term", **_date("starts_on", holiday_from), **_date("ends_on", holiday_to)},
    )
    assert response.status_code == 302
    response = client.submit(
        "/groups/new",
        {
            "name": "Westfield toddler time",
            "audience": "all_carers",
            "locality_id": str(loc.id),
            "description": "Play and a cuppa.",
            "is_online": "venue",
            "venue_name": "Library",
            "venue_address": "1 Library Lane",
            "frequency": "weekly",
            "weekday": "MO",
            **_date("first_meeting", start),
            "starts_at": "9.30am",
            "ends_at": "11",
            "term_time_only": "y",
            "coordinator_ids": str(coordinator.id),
        },
    )
    assert response.status_code == 302, text_of(response)
    group = db.session.query(SupportGroup).one()
    assert group.rrule == "FREQ=WEEKLY;BYDAY=MO" and group.term_time_only and group.coordinated_by(coordinator.id)
    page = text_of(client.get(f"/groups/{group.id}"))
    assert "Every Monday, in school term time, 09:30 to 11:00" in page and "Gwen Group" in page
    first_shown = page.split("Next meetings", 1)[1]
    assert str(holiday_from.year) in first_shown
    from portal.groups.queries import next_meetings

    assert all(m.original_date > holiday_to for m in next_meetings(group, today(), 3))
    assert "Westfield toddler time" in text_of(client.get("/search?q=toddler"))


def test_a_group_form_with_problems_says_so_beside_each_field_and_keeps_what_was_typed(client):
    make_locality()
    client.sign_in(make_user(Role.ADMIN))
    response = client.submit(
        "/groups/new",
        {"name": "Half typed", "frequency": "monthly", "nth": "", "starts_at": "25:00", "is_online": "online"},
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Choose which week of the month" in page and "Enter the start time as a time" in page
    assert 'value="Half typed"' in response.text
