"""Who opens a box: the current household, the child's social worker, the SSW, the young person with a grant —
never a past household, another household, business support, or anyone guessing ids (404), files included."""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from tests.factories import make_carer_household, make_user, place
from tests.memories.conftest import add, approve_all, items, photo, signed_in, yesterday


def _with_photos(app, box, count=2):
    carer = signed_in(app, box.carer)
    for n in range(count):
        add(
            carer,
            box.child,
            files=[(photo(("red", "blue", "green")[n % 3]), f"{n}.jpg")],
            when=yesterday(),
            title=f"Memory {n}",
        )
    return carer


def _urls(item) -> list[str]:
    base = f"/memory-box/items/{item.id}"
    return [
        f"/memory-box/{item.child_id}",
        base,
        f"{base}/files/thumb",
        f"{base}/files/display",
        f"{base}/files/original",
    ]


def test_people_without_a_link_to_the_child_get_not_found_everywhere(app, box):
    _with_photos(app, box, 1)
    item = items()[0]
    other_carer, _ = make_carer_household()
    outsiders = [other_carer, make_user(Role.SSW), make_user(Role.CHILD_SW), make_user(Role.YOUNG_PERSON)]
    for user in outsiders:
        client = signed_in(app, user)
        assert [client.get(u).status_code for u in _urls(item)] == [404] * 5, user
    support = signed_in(app, make_user(Role.BUSINESS_SUPPORT))
    assert {support.get(u).status_code for u in _urls(item)} == {403}


def test_guessed_ids_are_not_found(app, box):
    client = _with_photos(app, box, 1)
    for url in (
        "/memory-box/987654",
        "/memory-box/items/987654",
        "/memory-box/items/987654/files/thumb",
        "/memory-box/items/987654/change",
        "/memory-box/987654/add/photos",
        "/memory-box/copies/987654/zip",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/memory-box/items/987654").status_code == 404


def test_a_household_loses_the_box_on_the_very_next_request_when_the_placement_ends(app, box):
    carer = _with_photos(app, box)
    approve_all(app, box)
    item = items()[0]
    assert [carer.get(u).status_code for u in _urls(item)] == [200] * 5
    box.placement.end_date = today()
    db.session.commit()
    assert [carer.get(u).status_code for u in _urls(item)] == [404] * 5
    assert carer.get(f"/memory-box/{box.child.id}/add/photos").status_code == 404
    assert "Jordan" not in carer.get("/memory-box").text


def test_the_new_household_sees_the_whole_approved_box_from_its_first_day(app, box):
    _with_photos(app, box, 3)
    approve_all(app, box)
    pending_carer = signed_in(app, box.carer)
    add(pending_carer, box.child, files=[(photo("white"), "late.jpg")], when=yesterday(), title="Not yet approved")
    box.placement.end_date = today()
    db.session.commit()
    new_carer, new_household = make_carer_household(ssw=make_user(Role.SSW))
    place(box.child, new_household, start=today())
    client = signed_in(app, new_carer)
    timeline = client.get(f"/memory-box/{box.child.id}")
    assert timeline.status_code == 200
    assert all(f"Memory {n}" in timeline.text for n in range(3)) and "Not yet approved" not in timeline.text
    first = items()[0]
    page = client.get(f"/memory-box/items/{first.id}")
    assert box.household.name in page.text and box.carer.full_name in page.text  # who added it, and from where
    assert client.get(f"/memory-box/items/{first.id}/files/display").status_code == 200


def test_a_past_household_ssw_loses_moderation_but_the_childs_social_worker_keeps_it(app, box):
    _with_photos(app, box, 1)
    ssw, sw = signed_in(app, box.ssw), signed_in(app, box.social_worker)
    assert "Memory 0" in ssw.get("/memory-box/moderation").text
    box.placement.end_date = today()
    db.session.commit()
    assert ssw.get(f"/memory-box/items/{items()[0].id}").status_code == 404
    assert "Memory 0" not in ssw.get("/memory-box/moderation").text
    assert "Memory 0" in sw.get("/memory-box/moderation").text


def test_the_young_person_needs_a_grant_and_loses_the_box_when_it_is_withdrawn(app, box):
    _with_photos(app, box, 1)
    approve_all(app, box)
    item = items()[0]
    young = signed_in(app, box.young_person)
    assert young.get(f"/memory-box/{box.child.id}").status_code == 404
    sw = signed_in(app, box.social_worker)
    d = yesterday()
    granted = sw.submit(
        f"/memory-box/{box.child.id}/access",
        {
            "decided_on-day": str(d.day),
            "decided_on-month": str(d.month),
            "decided_on-year": str(d.year),
            "reason": "Agreed at the leaving-care review",
        },
    )
    assert granted.status_code == 302
    assert [young.get(u).status_code for u in _urls(item)] == [200] * 5
    assert young.get("/memory-box").location.endswith(f"/memory-box/{box.child.id}")
    from sqlalchemy import select

    from portal.memories.models import MemoryBoxAccess

    grant = db.session.scalar(select(MemoryBoxAccess))
    assert (
        sw.submit(f"/memory-box/{box.child.id}/access/{grant.id}/withdraw", {"reason": "Paused for now"}).status_code
        == 302
    )
    assert [young.get(u).status_code for u in _urls(item)] == [404] * 5
    history = sw.get(f"/memory-box/{box.child.id}/access").text
    assert "Agreed at the leaving-care review" in history and "Paused for now" in history


def test_only_the_childs_social_worker_decides_access(app, box):
    for user in (box.ssw, box.carer, make_user(Role.ADMIN)):
        assert signed_in(app, user).get(f"/memory-box/{box.child.id}/access").status_code == 403


@pytest.mark.parametrize("backend", ["s3"])
def test_on_s3_the_route_issues_short_links_only_while_access_lasts(app_config, s3_settings, backend, database_url):
    """The presigned link lives a few minutes; after the placement ends the route refuses to issue another."""
    from urllib.parse import parse_qs, urlsplit

    from portal.app import create_app
    from tests.conftest import _empty_tables
    from tests.factories import make_child, make_household
    from tests.pages import PageClient

    app = create_app({**app_config, **s3_settings})
    app.test_client_class = PageClient
    with app.app_context():
        try:
            carer = make_user(Role.CARER)
            household = make_household(carer, ssw=make_user(Role.SSW))
            child = make_child(social_worker=make_user(Role.CHILD_SW))
            placement = place(child, household)
            client = signed_in(app, carer)
            add(client, child, files=[(photo(), "a.jpg")], when=yesterday())
            item = items()[0]
            response = client.get(f"/memory-box/items/{item.id}/files/display")
            assert response.status_code == 303
            query = parse_qs(urlsplit(response.location).query)
            assert int(query["X-Amz-Expires"][0]) <= 300
            placement.end_date = today()
            db.session.commit()
            assert client.get(f"/memory-box/items/{item.id}/files/display").status_code == 404
            assert client.get(f"/memory-box/items/{item.id}/files/original").status_code == 404
        finally:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()


def test_a_carer_of_the_current_placement_cannot_see_another_carers_pending_items(app, box):
    _with_photos(app, box, 1)
    partner = make_user(Role.CARER)
    from portal.people.models import HouseholdMember

    db.session.add(HouseholdMember(household_id=box.household.id, user_id=partner.id))
    db.session.commit()
    client = signed_in(app, partner)
    assert client.get(f"/memory-box/items/{items()[0].id}").status_code == 404
    approve_all(app, box)
    assert client.get(f"/memory-box/items/{items()[0].id}").status_code == 200


def test_giving_access_again_from_an_old_page_says_it_is_already_given(app, box):
    sw = signed_in(app, box.social_worker)
    d = yesterday()
    form = {
        "decided_on-day": str(d.day),
        "decided_on-month": str(d.month),
        "decided_on-year": str(d.year),
        "reason": "Agreed at the leaving-care review",
    }
    sw.get(f"/memory-box/{box.child.id}/access")
    old_page = next(f for f in sw.page.forms if f.action is None)  # a second tab, still showing the form
    assert sw.submit(f"/memory-box/{box.child.id}/access", form).status_code == 302
    again = sw.post(f"/memory-box/{box.child.id}/access", data={**old_page.fields, **form}, follow_redirects=True)
    assert again.status_code == 200
    assert "can already read their memory box" in again.text
