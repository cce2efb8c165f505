"""Who sees which household and child: by current placement, caseload and allocation, never by history."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from portal.people import placements, services
from tests.factories import make_carer_household, make_child, make_household, make_user, place
from tests.pages import text_of


def test_a_carer_cannot_open_another_households_child_or_household(client):
    carer_a, household_a = make_carer_household()
    _, household_b = make_carer_household()
    child_b = make_child()
    place(child_b, household_b)
    client.sign_in(carer_a)
    assert client.get(f"/children/{child_b.id}").status_code == 404
    assert client.get(f"/households/{household_b.id}").status_code == 404
    assert client.get(f"/households/{household_a.id}").status_code == 200


def test_a_carer_sees_the_child_placed_with_them_but_no_other_household(client):
    carer, household = make_carer_household()
    child = make_child(first_name="Nina", born=today() - timedelta(days=4000))
    place(
        child,
        make_household(name="Former household"),
        start=today() - timedelta(days=400),
        end=today() - timedelta(days=40),
    )
    place(child, household, start=today() - timedelta(days=40))
    client.sign_in(carer)
    page = text_of(client.get(f"/children/{child.id}"))
    assert "Nina" in page and "With you since" in page
    assert "Former household" not in page and "Placement history" not in page


def test_ending_a_placement_removes_the_carers_access_on_the_next_request(client):
    carer, household = make_carer_household()
    child = make_child()
    placement = place(child, household)
    client.sign_in(carer)
    assert client.get(f"/children/{child.id}").status_code == 200
    placements.end_placement(make_user(Role.ADMIN), placement, today())
    assert client.get(f"/children/{child.id}").status_code == 404
    assert child.known_as not in text_of(client.get("/"))


def test_a_past_placement_gives_the_carer_and_the_ssw_no_access(client):
    ssw = make_user(Role.SSW)
    carer, household = make_carer_household(ssw=ssw)
    child = make_child(born=today() - timedelta(days=4000))
    place(child, household, start=today() - timedelta(days=300), end=today() - timedelta(days=100))
    client.sign_in(carer)
    assert client.get(f"/children/{child.id}").status_code == 404
    staff = client.application.test_client()
    staff.sign_in(ssw)
    assert staff.get(f"/children/{child.id}").status_code == 404
    assert "A child you do not support now" in text_of(staff.get(f"/households/{household.id}"))


def test_a_placement_starting_tomorrow_gives_no_access_today(client):
    carer, household = make_carer_household()
    child = make_child()
    place(child, household, start=today() + timedelta(days=1))
    client.sign_in(carer)
    assert client.get(f"/children/{child.id}").status_code == 404


def test_an_ssw_sees_only_their_caseload(client):
    ssw = make_user(Role.SSW)
    mine = make_household(ssw=ssw, name="Mine household")
    theirs = make_household(ssw=make_user(Role.SSW), name="Theirs household")
    child_mine, child_theirs = make_child(first_name="Mika"), make_child(first_name="Tove")
    place(child_mine, mine)
    place(child_theirs, theirs)
    client.sign_in(ssw)
    households = text_of(client.get("/households"))
    assert "Mine household" in households and "Theirs household" not in households
    children = text_of(client.get("/children"))
    assert "Mika" in children and "Tove" not in children
    assert client.get(f"/households/{theirs.id}").status_code == 404
    assert client.get(f"/children/{child_theirs.id}").status_code == 404
    page = text_of(client.get(f"/children/{child_mine.id}"))
    assert "Placement history" in page


def test_a_childs_social_worker_sees_their_children_and_where_they_live_now(client):
    sw = make_user(Role.CHILD_SW)
    home = make_household(name="Where she lives")
    elsewhere = make_household(name="Not hers")
    mine = make_child(social_worker=sw, first_name="Lola")
    other = make_child(first_name="Otto")
    place(mine, home)
    place(other, home)
    place(make_child(), elsewhere)
    client.sign_in(sw)
    households = text_of(client.get("/households"))
    assert "Where she lives" in households and "Not hers" not in households
    page = text_of(client.get(f"/households/{home.id}"))
    assert "Lola" in page and "Otto" not in page and "And 1 other child" in page
    assert client.get(f"/children/{other.id}").status_code == 404


def test_business_support_sees_every_household_but_not_the_childrens_names(client):
    household = make_household(name="Any household")
    child = make_child(first_name="Hidden")
    place(child, household)
    client.sign_in(make_user(Role.BUSINESS_SUPPORT))
    page = text_of(client.get(f"/households/{household.id}"))
    assert "Any household" in page and "Hidden" not in page and "1 child is placed here" in page
    assert client.get(f"/children/{child.id}").status_code == 403


def test_the_on_hold_reason_is_for_the_fostering_team_only(client):
    admin = make_user(Role.ADMIN)
    carer, household = make_carer_household()
    services.change_household(
        admin,
        household,
        name=household.name,
        reference=household.reference,
        carer_ids=[carer.id],
        carer_type=household.carer_type,
        locality_id=household.locality_id,
        approval_date=household.approval_date,
        ssw_id=None,
        status="on_hold",
        status_reason="Private reason",
    )
    client.sign_in(carer)
    page = text_of(client.get(f"/households/{household.id}"))
    assert "On hold" in page and "Private reason" not in page
    support = client.application.test_client()
    support.sign_in(make_user(Role.BUSINESS_SUPPORT))
    assert "Private reason" not in text_of(support.get(f"/households/{household.id}"))
