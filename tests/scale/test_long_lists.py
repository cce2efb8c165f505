"""Lists that grow with the service come a page at a time, summaries first (bench.generate fills them)."""

from __future__ import annotations

from sqlalchemy import select

from bench.generate import Anchors, generate
from portal.auth.roles import Role
from portal.claims.models import PaymentBatch
from portal.core.db import db
from tests.factories import make_child, make_household, make_user, place
from tests.pages import text_of


def _world(scale: int = 2):
    ssw, sw, carer = make_user(Role.SSW), make_user(Role.CHILD_SW), make_user(Role.CARER)
    household = make_household(carer, ssw=ssw, name="Anchor household")
    child = make_child(social_worker=sw, first_name="Anchor")
    place(child, household)
    generate(scale, db.session, Anchors(household.id, child.id, carer.id, ssw.id, sw.id))
    db.session.commit()
    return ssw, sw


def test_an_ssw_with_a_large_caseload_sees_it_ten_households_at_a_time(client):
    ssw, _ = _world(scale=3)  # 13 households of 37 are theirs
    client.sign_in(ssw)
    first = client.get("/")
    assert "Showing 1 to 10 of 13 households" in text_of(first)
    second = client.get("/?caseload-page=2")
    assert "Showing 11 to 13 of 13 households" in text_of(second)


def test_a_childs_social_worker_sees_their_children_a_page_at_a_time(client):
    _, sw = _world(scale=2)
    client.sign_in(sw)
    page = text_of(client.get("/"))
    assert "Children you are allocated" in page and "Showing 1 to" in page


def test_an_admin_sees_memory_boxes_a_page_at_a_time(client):
    _world(scale=2)
    client.sign_in(make_user(Role.ADMIN))
    page = text_of(client.get("/memory-box"))
    assert "Showing 1 to 25 of" in page


def test_a_payment_batch_shows_its_summary_and_a_page_of_its_claims(client):
    _world(scale=2)
    batch = db.session.scalar(select(PaymentBatch))
    client.sign_in(make_user(Role.BUSINESS_SUPPORT))
    response = client.get(f"/payment-batches/{batch.id}")
    page = text_of(response)
    assert "By kind of claim" in page and "Mileage" in page
    assert f"Showing 1 to 50 of {batch.claim_count} claims" in page
    assert response.text.count("/claims/") <= 50 + 5  # one link per claim on the page, not the whole batch


def test_a_cabinet_shows_each_folders_newest_documents_and_a_link_to_the_rest(client):
    from portal.people.models import Household

    _world(scale=2)  # the anchored household has 6 documents in its profile folder
    household = db.session.scalar(select(Household).where(Household.name == "Anchor household"))
    client.sign_in(make_user(Role.ADMIN))
    summary = client.get(f"/households/{household.id}/documents")
    assert "See all 6 documents in household profile" in text_of(summary)
    assert summary.text.count("/documents/") - summary.text.count("/documents/new") <= 5 + 2
    folder = client.get(f"/households/{household.id}/documents?folder=household_profile")
    assert "Showing 1 to 6 of 6 documents" in text_of(folder) and "All folders" in text_of(folder)
