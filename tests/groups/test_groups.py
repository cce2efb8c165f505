"""Finding, following and running support groups: the carer's journey and the coordinators' limits."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from portal.auth.roles import Role
from portal.core.clock import today
from tests.factories import make_household, make_locality, make_user
from tests.groups.helpers import make_group
from tests.pages import text_of


def _next_day_number(client, group):
    page = client.get(f"/groups/{group.id}")
    assert page.status_code == 200
    marker = f"/groups/{group.id}/meetings/"
    start = page.text.index(marker) + len(marker)
    return page.text[start : start + 8]


def _post(client, page_url, action, data=None):
    """Send the form on `page_url` whose action is `action`, as a browser would."""
    client.get(page_url)
    form = next(f for f in client.page.forms if f.action == action)
    return client.post(action, data={**dict(form.fields), **(data or {})})


def test_a_carer_sees_their_own_areas_groups_first_with_the_next_meeting_in_words(client):
    home, away = make_locality("Zeal"), make_locality("Abbey")
    carer = make_user(Role.CARER)
    make_household(carer, locality=home)
    coordinator = make_user(Role.GROUP_COORDINATOR)
    make_group(away, coordinator, name="Abbey walk and talk", audience="walk_and_talk")
    make_group(home, coordinator, name="Zeal coffee morning")
    client.sign_in(carer)
    page = text_of(client.get("/groups"))
    assert page.index("Zeal coffee morning") < page.index("Abbey walk and talk")
    assert "(your area)" in page and "Next meeting: Tuesday" in page
    filtered = text_of(client.get("/groups?for=walk_and_talk"))
    assert "Abbey walk and talk" in filtered and "Zeal coffee morning" not in filtered


def test_a_carer_adds_the_next_meeting_to_their_calendar_and_says_they_are_coming(client):
    loc = make_locality()
    carer, coordinator = make_user(Role.CARER), make_user(Role.GROUP_COORDINATOR, name="Coral Coordinator")
    make_household(carer, locality=loc)
    group = make_group(loc, coordinator)
    client.sign_in(carer)
    day = _next_day_number(client, group)
    ics = client.get(f"/groups/{group.id}/meetings/{day}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert str(event["summary"]) == group.name and "Riverside Family Centre" in str(event["location"])
    assert event.decoded("dtstart").hour == 10 and str(event.decoded("dtstart").tzinfo) == "Europe/London"
    response = _post(client, f"/groups/{group.id}", f"/groups/{group.id}/meetings/{day}/reply")
    assert response.status_code == 302
    assert "You said you are coming" in text_of(client.get(f"/groups/{group.id}"))
    client.post("/sign-out", data={"csrf_token": ""})
    staff = client.application.test_client()
    staff.sign_in(coordinator)
    assert "1 person has said they are coming" in text_of(staff.get(f"/groups/{group.id}"))
    meeting = text_of(staff.get(f"/groups/{group.id}/meetings/{day}"))
    assert carer.full_name in meeting


def test_a_coordinator_cannot_change_another_coordinators_group(client):
    loc = make_locality()
    mine, theirs = make_user(Role.GROUP_COORDINATOR), make_user(Role.GROUP_COORDINATOR)
    own_group, other_group = make_group(loc, mine), make_group(loc, theirs, name="Another group")
    client.sign_in(mine)
    assert client.get(f"/groups/{own_group.id}/edit").status_code == 200
    assert client.get(f"/groups/{other_group.id}/edit").status_code == 404
    assert client.get(f"/groups/{other_group.id}/announcements").status_code == 404
    day = _next_day_number(client, other_group)
    assert client.get(f"/groups/{other_group.id}/meetings/{day}").status_code == 404
    client.get(f"/groups/{own_group.id}/edit")
    token = client.page.forms[0].fields["csrf_token"]
    response = client.post(f"/groups/{other_group.id}/edit", data={"name": "Taken over", "csrf_token": token})
    assert response.status_code == 404
    assert "Taken over" not in text_of(client.get(f"/groups/{other_group.id}"))


def test_a_pattern_with_no_meetings_is_refused_beside_the_field_and_nothing_typed_is_lost(client):
    loc = make_locality()
    coordinator = make_user(Role.GROUP_COORDINATOR)
    group = make_group(loc, coordinator)
    client.sign_in(coordinator)
    year = today().year + 1
    response = client.submit(
        f"/groups/{group.id}/edit",
        {
            "name": "Renamed group",
            "until-day": "1",
            "until-month": "1",
            "until-year": str(year - 3),
            "first_meeting-day": "1",
            "first_meeting-month": "3",
            "first_meeting-year": str(year),
        },
    )
    assert response.status_code == 422
    assert "This pattern gives no meetings" in text_of(response)
    assert 'value="Renamed group"' in response.text
    response = client.submit(f"/groups/{group.id}/edit", {"starts_at": "2pm", "ends_at": "1pm"})
    assert response.status_code == 422 and "The meeting must end after it starts" in text_of(response)


def test_a_coordinator_moves_a_meeting_and_followers_are_told(client, mail_dir):
    loc = make_locality()
    coordinator, carer = make_user(Role.GROUP_COORDINATOR), make_user(Role.CARER)
    make_household(carer, locality=loc)
    group = make_group(loc, coordinator)
    client.sign_in(carer)
    _post(client, f"/groups/{group.id}", f"/groups/{group.id}/follow")
    day = _next_day_number(client, group)
    coordinator_client = client.application.test_client()
    coordinator_client.sign_in(coordinator)
    new_day = today() + timedelta(days=200)
    response = coordinator_client.submit(
        f"/groups/{group.id}/meetings/{day}",
        {
            "action": "move",
            "new_date-day": str(new_day.day),
            "new_date-month": str(new_day.month),
            "new_date-year": str(new_day.year),
            "new_starts_at": "1pm",
            "new_ends_at": "3pm",
        },
    )
    assert response.status_code == 302
    inbox = text_of(client.get("/notifications"))
    assert "is moved" in inbox
    assert any(group.name in p.read_text() for p in mail_dir.glob("*"))


def test_online_link_is_shown_to_signed_in_carers_and_never_in_a_calendar(client):
    loc = make_locality()
    carer = make_user(Role.CARER)
    make_household(carer, locality=loc)
    group = make_group(loc, make_user(Role.GROUP_COORDINATOR), online=True)
    client.sign_in(carer)
    page = client.get(f"/groups/{group.id}")
    assert "https://meet.example.org/group-secret" in page.text
    day = _next_day_number(client, group)
    assert b"group-secret" not in client.get(f"/groups/{group.id}/meetings/{day}/calendar.ics").data
    assert client.get("/groups").status_code == 200


def test_the_finder_names_the_next_meeting_that_will_happen_and_the_cancelled_one_apart(client):
    from portal.groups.queries import next_meetings
    from portal.groups.services import change_meeting

    loc, carer = make_locality(), make_user(Role.CARER)
    make_household(carer, locality=loc)
    coordinator = make_user(Role.GROUP_COORDINATOR)
    group = make_group(loc, coordinator, name="Walk and talk", rrule="FREQ=WEEKLY;BYDAY=WE")
    first, second = next_meetings(group, today(), 2)
    change_meeting(coordinator, group, first.original_date, cancel=True)
    client.sign_in(carer)
    page = text_of(client.get("/groups"))
    assert f"Next meeting: Wednesday {second.start.day} " in page
    assert f"Cancelled: Wednesday {first.start.day} " in page and "Next meeting cancelled" not in page
