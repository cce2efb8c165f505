"""Household and children lists: filters, search and pages of 25."""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.core.db import db
from portal.people.models import Child, Household
from tests.factories import make_child, make_household, make_locality, make_user
from tests.pages import text_of


@pytest.fixture
def admin_client(client):
    client.sign_in(make_user(Role.ADMIN))
    return client


def test_households_filter_by_area_status_and_type_and_search_by_name_or_reference(admin_client):
    north, south = make_locality("North"), make_locality("South")
    make_household(name="Apple household", locality=north, carer_type="kinship")
    make_household(name="Berry household", locality=south, status="on_hold")
    pear = make_household(name="Pear household", locality=north)

    def names(query: str) -> str:
        return text_of(admin_client.get("/households" + query))

    assert "Berry" not in names(f"?locality={north.id}") and "Apple" in names(f"?locality={north.id}")
    assert "Berry" in names("?status=on_hold") and "Apple" not in names("?status=on_hold")
    assert "Apple" in names("?carer_type=kinship") and "Pear" not in names("?carer_type=kinship")
    assert "Pear" in names("?q=pEAr") and "Apple" not in names("?q=pEAr")
    assert "Pear" in names(f"?q={pear.reference}")
    assert "No households match your search" in names("?q=zzz")


def test_search_text_is_matched_literally(admin_client):
    make_household(name="Plain household")
    assert "No households match" in text_of(admin_client.get("/households?q=%25"))


def test_a_nonsense_filter_is_explained_not_an_error(admin_client):
    make_household(name="Still listed")
    response = admin_client.get("/households?locality=abc&status=nope")
    assert response.status_code == 200
    page = text_of(response)
    assert "Choose an area from the list" in page and "Still listed" in page


def test_long_lists_come_in_pages_of_25(admin_client):
    loc = make_locality()
    db.session.add_all(
        Household(name=f"House {i:02d}", reference=f"FH-P{i}", carer_type="mainstream", locality=loc, status="active")
        for i in range(30)
    )
    db.session.commit()
    first = admin_client.get("/households")
    assert "House 24" in first.text and "House 25" not in first.text
    assert "Showing 1 to 25 of 30 households" in text_of(first)
    second = admin_client.get("/households?page=2")
    assert "House 25" in second.text and "House 29" in second.text and "House 00" not in second.text
    assert "House 29" in admin_client.get("/households?page=99").text  # past the end: the last page
    assert "House 00" in admin_client.get("/households?page=x").text


def test_children_are_searched_by_name_and_case_reference_and_paged(admin_client):
    make_child(first_name="Zara")
    other = make_child(first_name="Yusuf")
    page = text_of(admin_client.get("/children?q=zar"))
    assert "Zara" in page and "Yusuf" not in page
    assert "Yusuf" in text_of(admin_client.get(f"/children?q={other.case_reference}"))
    db.session.add_all(
        Child(first_name=f"Kid{i:02d}", last_name="Many", date_of_birth=other.date_of_birth, case_reference=f"LAC-P{i}")
        for i in range(30)
    )
    db.session.commit()
    paged = text_of(admin_client.get("/children?q=Many&page=2"))
    assert "Showing 26 to 30 of 30 children" in paged
