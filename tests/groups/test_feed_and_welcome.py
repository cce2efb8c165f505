"""The personal calendar feed (no sign-in, titles and places only, revocable) and welcoming new carers."""

from __future__ import annotations

import icalendar
from flask import current_app

from portal.auth.roles import Role
from portal.core.calendar import CalendarEvent, register_feed_source
from portal.core.db import db
from portal.core.notify import Notification
from portal.groups.welcome import set_introduction_consent, welcome_new_carer
from portal.people import services as people_services
from tests.factories import make_household, make_locality, make_user
from tests.groups.helpers import make_group
from tests.jobs import drain_jobs
from tests.pages import text_of


def _feed_address(client) -> str:
    client.get("/calendar")
    form = next(f for f in client.page.forms if f.action == "/calendar")
    response = client.post("/calendar", data={**dict(form.fields), "action": "create"})
    assert response.status_code == 200
    return (
        client.page.find_input_value("feed-address") if hasattr(client.page, "find_input_value") else _value(response)
    )


def _value(response) -> str:
    marker = 'id="feed-address" type="text" value="'
    start = response.text.index(marker) + len(marker)
    return response.text[start : response.text.index('"', start)]


def test_the_feed_needs_no_sign_in_holds_only_titles_and_places_and_answers_404_once_revoked(client, app):
    loc = make_locality()
    carer = make_user(Role.CARER, name="Private Person")
    make_household(carer, locality=loc)
    group = make_group(loc, make_user(Role.GROUP_COORDINATOR), online=True, name="Online evening group")
    client.sign_in(carer)
    client.get(f"/groups/{group.id}")
    follow = next(f for f in client.page.forms if f.action == f"/groups/{group.id}/follow")
    client.post(follow.action, data=dict(follow.fields))
    address = _feed_address(client)
    path = address.split("localhost", 1)[-1] if "localhost" in address else "/" + address.split("/", 3)[3]

    anonymous = app.test_client()
    feed = anonymous.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(feed.data)
    events = calendar.walk("VEVENT")
    assert events and all(str(e["summary"]) == "Online evening group" for e in events)
    assert {str(e["location"]) for e in events} == {"Online"}
    assert b"Private Person" not in feed.data and b"group-secret" not in feed.data and b"@example.org" not in feed.data
    assert calendar.walk("VTIMEZONE"), "times are given in Europe/London with its VTIMEZONE"

    client.get("/calendar")
    form = next(f for f in client.page.forms if f.action == "/calendar")
    client.post("/calendar", data={**dict(form.fields), "action": "revoke"})
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendar/feed/not-a-real-token").status_code == 404


def test_the_feed_gathers_every_registered_source(client, app):
    carer = make_user(Role.CARER)
    make_household(carer)
    from datetime import datetime, timedelta

    from portal.core.clock import LONDON

    start = datetime.now(LONDON).replace(microsecond=0) + timedelta(days=3)
    register_feed_source(
        "test-training",
        lambda uid: (
            [CalendarEvent("t-1@hearth", "First aid", start, start + timedelta(hours=3), "County Hall")]
            if uid == carer.id
            else []
        ),
    )
    try:
        client.sign_in(carer)
        path = "/" + _feed_address(client).split("/", 3)[3]
        feed = app.test_client().get(path)
        assert "First aid" in [str(e["summary"]) for e in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")]
    finally:
        from portal.core import calendar

        calendar._FEED_SOURCES.pop("test-training", None)


def _notices_for(user) -> list[str]:
    return [n.text for n in db.session.query(Notification).filter_by(user_id=user.id)]


def test_coordinators_are_told_about_a_new_carer_only_with_consent(app):
    loc = make_locality("Eastbrook")
    coordinator = make_user(Role.GROUP_COORDINATOR)
    make_group(loc, coordinator, name="Eastbrook coffee")
    make_group(loc, coordinator, name="Kinship circle", audience="kinship")
    shy, keen = make_user(Role.CARER, name="Sam Shy"), make_user(Role.CARER, name="Kim Keen")
    make_household(shy, locality=loc)
    make_household(keen, locality=loc)
    assert welcome_new_carer(shy.id) == 0
    set_introduction_consent(keen, True)
    assert welcome_new_carer(keen.id) == 1  # the kinship group is not for a mainstream carer
    assert welcome_new_carer(keen.id) == 0  # once per group
    drain_jobs(current_app._get_current_object())
    notes = _notices_for(coordinator)
    assert any("Kim Keen" in n and "Eastbrook coffee" in n for n in notes)
    assert not any("Sam Shy" in n for n in notes)


def test_moving_a_household_to_another_locality_welcomes_its_carers_there(app):
    old, new = make_locality("Oldtown"), make_locality("Newtown")
    coordinator = make_user(Role.GROUP_COORDINATOR)
    make_group(new, coordinator, name="Newtown walk and talk", audience="walk_and_talk")
    carer = make_user(Role.CARER, name="Mo Mover")
    household = make_household(carer, locality=old)
    set_introduction_consent(carer, True)
    admin = make_user(Role.ADMIN)
    people_services.change_household(
        admin,
        household,
        name=household.name,
        reference=household.reference,
        carer_ids=[carer.id],
        carer_type=household.carer_type,
        locality_id=new.id,
        approval_date=household.approval_date,
        ssw_id=None,
        status=household.status,
    )
    drain_jobs(current_app._get_current_object())
    assert any("Mo Mover" in n for n in _notices_for(coordinator))


def test_a_carer_sets_their_consent_on_their_account_pages(client):
    carer = make_user(Role.CARER)
    make_household(carer)
    client.sign_in(carer)
    assert "Introductions to support groups" in text_of(client.get("/account"))
    response = client.submit("/groups/introductions", {"agreed": "yes"})
    assert response.status_code == 302
    from portal.groups.welcome import has_agreed_to_introductions

    assert has_agreed_to_introductions(carer.id)


def test_an_applicant_approved_into_a_locality_is_welcomed_by_its_groups_when_they_agreed(app):
    from portal.core.clock import today
    from portal.mentoring import services as mentoring_services
    from tests.mentoring.conftest import make_mentee

    loc = make_locality("Approvalton")
    coordinator = make_user(Role.GROUP_COORDINATOR)
    make_group(loc, coordinator, name="Approvalton coffee")
    mentee = make_mentee(loc)
    set_introduction_consent(mentee.user, True)
    mentoring_services.record_approval(
        make_user(Role.ADMIN),
        mentee,
        approved_on=today(),
        fostering_type="mainstream",
        new_household_name="Newly approved household",
        new_household_reference="FH-901",
    )
    db.session.commit()
    drain_jobs(current_app._get_current_object())
    assert any(mentee.user.full_name in n and "Approvalton coffee" in n for n in _notices_for(coordinator))
