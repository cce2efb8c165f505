"""Admin pages for areas, households, children and placements: they save, and bad input is kindly refused and kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from tests.factories import make_child, make_household, make_locality, make_user, place
from tests.pages import text_of


@pytest.fixture
def admin_client(client):
    client.sign_in(make_user(Role.ADMIN))
    return client


def _date(name: str, d) -> dict:
    return {f"{name}-day": str(d.day), f"{name}-month": str(d.month), f"{name}-year": str(d.year)}


def test_an_admin_adds_an_area_and_sees_it_listed(admin_client):
    response = admin_client.submit("/localities/new", {"name": "Riverside"})
    assert response.status_code == 302
    assert "Riverside" in admin_client.get("/localities").text


def test_an_admin_adds_a_household_and_lands_on_its_page(admin_client):
    carer = make_user(Role.CARER, name="Jo Marsh")
    ssw = make_user(Role.SSW, name="Sue Worker")
    loc = make_locality("Hilltop")
    response = admin_client.submit(
        "/households/new",
        {
            "name": "Marsh household",
            "reference": "FH-500",
            "carer_1": str(carer.id),
            "carer_type": "kinship",
            "locality_id": str(loc.id),
            "ssw_id": str(ssw.id),
            **_date("approval_date", today() - timedelta(days=10)),
        },
    )
    assert response.status_code == 302
    page = text_of(admin_client.get(response.location))
    assert "Marsh household" in page and "Jo Marsh" in page and "Sue Worker" in page and "Hilltop" in page


def test_household_form_keeps_what_was_typed_when_the_reference_is_taken(admin_client):
    make_household(name="Existing", locality=make_locality())
    taken = make_household().reference
    carer = make_user(Role.CARER)
    response = admin_client.submit(
        "/households/new",
        {
            "name": "Typed name",
            "reference": taken,
            "carer_1": str(carer.id),
            "carer_type": "mainstream",
            "locality_id": str(make_locality().id),
            "approval_date-day": "31",
            "approval_date-month": "2",
            "approval_date-year": "2024",
        },
    )
    assert response.status_code == 200
    assert "The approval date must be a real date" in response.text
    assert 'value="Typed name"' in response.text and 'value="31"' in response.text
    assert "#approval_date" in admin_client.page.error_summary_links


def test_a_value_not_on_the_list_gets_a_kind_message_not_an_error_page(admin_client):
    response = admin_client.submit(
        "/households/new",
        {"name": "X", "reference": "FH-1", "carer_1": "999999", "carer_type": "pirate", "locality_id": "abc"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Choose a carer from the list" in page and "Choose the type of fostering from the list" in page
    assert "Choose an area from the list" in page


def test_a_third_carer_cannot_be_chosen_and_a_housed_carer_is_not_offered(admin_client):
    housed = make_user(Role.CARER, name="Already Housed")
    make_household(housed)
    free = make_user(Role.APPLICANT, name="Free Applicant")
    admin_client.get("/households/new")
    page = text_of(admin_client.get("/households/new"))
    assert "Free Applicant" in page and "Already Housed" not in page
    response = admin_client.submit(
        "/households/new",
        {
            "name": "Y",
            "reference": "FH-2",
            "carer_1": str(housed.id),
            "carer_type": "mainstream",
            "locality_id": str(make_locality().id),
        },
    )
    assert "Choose a carer from the list" in text_of(response)
    assert free.id


def test_putting_a_household_on_hold_asks_for_the_reason(admin_client):
    household = make_household(make_user(Role.CARER))
    response = admin_client.submit(f"/households/{household.id}/edit", {"status": "on_hold"})
    assert response.status_code == 200
    assert "Enter the reason for putting the household on hold" in text_of(response)
    response = admin_client.submit(
        f"/households/{household.id}/edit", {"status": "on_hold", "status_reason": "Allegation"}
    )
    assert response.status_code == 302
    page = text_of(admin_client.get(f"/households/{household.id}"))
    assert "On hold" in page and "Allegation" in page


def test_child_form_refuses_a_birthday_in_the_future_and_keeps_the_names(admin_client):
    tomorrow = today() + timedelta(days=1)
    response = admin_client.submit(
        "/children/new",
        {"first_name": "Ivy", "last_name": "Bloom", "case_reference": "LAC-9", **_date("date_of_birth", tomorrow)},
    )
    assert response.status_code == 200
    assert "The date of birth must be today or in the past" in text_of(response)
    assert (
        'value="Ivy"' in response.text
        and 'value="Bloom"' in response.text
        and f'value="{tomorrow.year}"' in response.text
    )


def test_an_admin_adds_and_changes_a_child(admin_client):
    sw = make_user(Role.CHILD_SW, name="Dee Allocated")
    response = admin_client.submit(
        "/children/new",
        {
            "first_name": "Ivy",
            "last_name": "Bloom",
            "case_reference": "LAC-9",
            "social_worker_id": str(sw.id),
            **_date("date_of_birth", today() - timedelta(days=3000)),
        },
    )
    assert response.status_code == 302
    child_url = response.location
    edit = admin_client.submit(child_url + "/edit", {"preferred_name": "Ives"})
    assert edit.status_code == 302
    page = text_of(admin_client.get(child_url))
    assert "Ives Bloom" in page and "Dee Allocated" in page


def test_an_overlapping_placement_is_refused_on_the_page_with_the_clash_named(admin_client):
    child = make_child(born=today() - timedelta(days=3000))
    place(child, make_household(name="Birch household"), start=today() - timedelta(days=40))
    other = make_household(name="Cedar household")
    start = today() - timedelta(days=5)
    response = admin_client.submit(
        f"/children/{child.id}/placements/new",
        {"household_id": str(other.id), "placement_type": "emergency", **_date("start_date", start)},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "already placed with Birch household" in page
    assert f'value="{start.day}"' in response.text
    assert "#start_date" in admin_client.page.error_summary_links


def test_an_end_date_before_the_start_is_refused_on_the_page(admin_client):
    child = make_child(born=today() - timedelta(days=3000))
    response = admin_client.submit(
        f"/children/{child.id}/placements/new",
        {
            "household_id": str(make_household().id),
            "placement_type": "short_term",
            **_date("start_date", today() - timedelta(days=5)),
            **_date("end_date", today() - timedelta(days=9)),
        },
    )
    assert "The end date must be after the start date" in text_of(response)


def test_an_admin_places_a_child_then_ends_the_placement(admin_client):
    child = make_child(born=today() - timedelta(days=3000))
    household = make_household(name="Ash household")
    response = admin_client.submit(
        f"/children/{child.id}/placements/new",
        {
            "household_id": str(household.id),
            "placement_type": "long_term",
            **_date("start_date", today() - timedelta(days=3)),
        },
    )
    assert response.status_code == 302
    assert "With the Ash household since" in text_of(admin_client.get(f"/children/{child.id}"))
    [placement] = child.placements
    ended = admin_client.submit(f"/placements/{placement.id}/end", _date("end_date", today()))
    assert ended.status_code == 302
    page = text_of(admin_client.get(f"/children/{child.id}"))
    assert "has no current placement" in page and "Ash household" in page  # now in the history


def test_ending_a_placement_needs_a_date(admin_client):
    placement = place(make_child(), make_household())
    response = admin_client.submit(
        f"/placements/{placement.id}/end", {"end_date-day": "", "end_date-month": "", "end_date-year": ""}
    )
    assert response.status_code == 200
    assert "Enter the date the child moved out" in text_of(response)


def test_correcting_a_placement_keeps_its_values_in_the_form(admin_client):
    placement = place(make_child(), make_household(), start=today() - timedelta(days=20))
    page = admin_client.get(f"/placements/{placement.id}/edit")
    assert f'value="{placement.start_date.day}"' in page.text
    response = admin_client.submit(f"/placements/{placement.id}/edit", {"placement_type": "short_term"})
    assert response.status_code == 302 and placement.placement_type == "short_term"
