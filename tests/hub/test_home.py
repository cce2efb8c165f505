"""Home pages by role: what a carer, a social worker, an admin and everyone else sees first."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from tests.factories import make_carer_household, make_child, make_household, make_locality, make_user, place
from tests.pages import text_of


def test_a_carer_sees_their_children_with_age_and_since_when_and_their_household(client):
    carer, household = make_carer_household(name="Rowan household")
    child = make_child(first_name="Amelia", born=today() - timedelta(days=365 * 7 + 10))
    start = today() - timedelta(days=30)
    place(child, household, start=start)
    client.sign_in(carer)
    response = client.get("/")
    page = text_of(response)
    assert "Amelia" in page and "Age 7" in page and "with you since" in page
    assert "Rowan household" in page
    assert f'/children/{child.id}"' in response.text and f'/households/{household.id}"' in response.text


def test_a_carer_sees_what_needs_attention(client):
    on = today()
    due = on + timedelta(days=20)
    try:
        approved = due.replace(year=due.year - 2)
    except ValueError:
        approved = due.replace(year=due.year - 2, day=28)
    carer, household = make_carer_household(approval_date=approved, status="on_hold", carer_type="kinship")
    place(make_child(first_name="Noah"), household, start=on - timedelta(days=100), placement_type="regulation_24")
    client.sign_in(carer)
    page = text_of(client.get("/"))
    assert "What needs your attention" in page
    assert "Your household is on hold" in page
    assert "Your annual foster carer review is due" in page
    assert "Temporary approval for Noah ends" in page


def test_a_carer_without_a_household_is_told_who_to_contact(client):
    client.sign_in(make_user(Role.CARER))
    assert "not yet linked to a fostering household" in text_of(client.get("/"))


def test_an_ssw_sees_their_caseload_soonest_review_first(client):
    ssw = make_user(Role.SSW)
    on = today()

    def approved_years_ago_plus(days: int):
        d = on + timedelta(days=days)
        try:
            return d.replace(year=d.year - 2)
        except ValueError:
            return d.replace(year=d.year - 2, day=28)

    later = make_household(ssw=ssw, name="Later household", approval_date=approved_years_ago_plus(200))
    make_household(ssw=ssw, name="Sooner household", approval_date=approved_years_ago_plus(10))
    make_household(ssw=make_user(Role.SSW), name="Not mine household")
    place(make_child(), later)
    place(make_child(), later)
    client.sign_in(ssw)
    page = text_of(client.get("/"))
    assert "Your caseload" in page and "Not mine household" not in page
    assert page.index("Sooner household") < page.index("Later household")
    assert "Later household Active 2" in page


def test_a_childs_social_worker_sees_allocated_children_and_where_they_live(client):
    sw = make_user(Role.CHILD_SW)
    placed = make_child(social_worker=sw, first_name="Ollie")
    place(placed, make_household(name="Hazel household"))
    make_child(social_worker=sw, first_name="Wren")
    make_child(first_name="Notmine")
    client.sign_in(sw)
    page = text_of(client.get("/"))
    assert "Ollie" in page and "living with the Hazel household" in page
    assert "Wren" in page and "no current placement" in page and "Notmine" not in page


def test_an_admin_sees_counts_and_the_pages_to_manage_people(client):
    household = make_household()
    place(make_child(), household)
    make_household(status="on_hold")
    client.sign_in(make_user(Role.ADMIN))
    response = client.get("/")
    page = text_of(response)
    assert "Active households 1" in page and "Households on hold 1" in page and "Children placed today 1" in page
    for href in ("/households/new", "/children/new", "/localities"):
        assert f'href="{href}"' in response.text


def test_other_roles_get_a_short_welcome_saying_what_they_can_do(client):
    client.sign_in(make_user(Role.BUSINESS_SUPPORT))
    page = text_of(client.get("/"))
    assert "What you can do in Hearth" in page and "every household" in page
    other = client.application.test_client()
    other.sign_in(make_user(Role.TRAINING_COORDINATOR))
    assert "training programme" in text_of(other.get("/"))


def test_a_young_person_s_home_leads_to_their_memory_box(client):
    client.sign_in(make_user(Role.YOUNG_PERSON))
    page = client.get("/").text
    assert 'href="/memory-box">Open your memory box</a>' in page
    assert "once your social worker has given you access" in page


def test_a_queue_size_is_shown_once_whether_or_not_the_text_already_states_it(app):
    from flask import render_template

    from portal.hub.needs import Need

    on = today()
    needs = [
        Need("mentees_waiting", "25 mentees are waiting for a mentor", "/mentoring/batch", on, count=25, oldest=on),
        Need("training_tsd_behind", "7 households behind with the TSD standards", "/training/households", on, count=7),
        Need("invitations", "Invitations not yet accepted", "/admin/invitations", on, count=3),
        Need("claim_query", "A claim needs your answer", "/claims/1", on),
    ]
    with app.test_request_context("/"):
        html = render_template("hub/_needs.html", needs=needs, today=on)
    assert "25 mentees are waiting for a mentor</a>" in html and ": 25" not in html
    assert "7 households behind with the TSD standards</a>" in html and ": 7" not in html
    assert "Invitations not yet accepted: 3</a>" in html
    assert "A claim needs your answer</a>" in html


def test_the_coordinators_home_states_how_many_mentees_wait_once(client):
    from tests.mentoring.conftest import make_mentee

    town = make_locality("Northtown")
    make_mentee(town, name="First Waiting"), make_mentee(town, name="Second Waiting")
    client.sign_in(make_user(Role.MENTORING_COORDINATOR))
    page = text_of(client.get("/"))
    assert "2 mentees are waiting for a mentor" in page
    assert "waiting for a mentor: 2" not in page
