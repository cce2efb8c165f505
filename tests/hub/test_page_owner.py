"""An information page's owner: chosen from a select while the service has few staff, typed once it has many (as
people are on the household form), read back from either; a name that is nobody's is told beside the field and
kept as typed."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.hub.models import HubPage
from portal.people.routes.choosing import SHORT_LIST
from tests.factories import make_user
from tests.pages import text_of

PAGE = {
    "section": "faqs",
    "title": "Respite",
    "summary": "Short breaks.",
    "body_markdown": "Ask your SSW.",
    "position": "1",
    "last_reviewed_on-day": "1",
    "last_reviewed_on-month": "10",
    "last_reviewed_on-year": "2026",
    "review_every_months": "12",
}


def _owner_field(client):
    return next(f for f in client.page.forms if f.method == "post" and "owner_id" in f.fields)


def test_a_few_staff_are_offered_in_a_select_and_the_one_chosen_owns_the_page(client):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    ssw = make_user(Role.SSW, name="Sam Social")
    make_user(Role.CARER, name="Carol Carer")  # not staff: never offered
    client.sign_in(admin)
    form = client.get("/information/new")
    assert '<select class="govuk-select" id="owner_id"' in form.text and "data-lookup" not in form.text
    assert "Sam Social" in form.text and "Carol Carer" not in form.text
    assert _owner_field(client).fields["owner_id"] == str(admin.id)  # whoever writes it, until they choose
    response = client.submit("/information/new", {**PAGE, "owner_id": str(ssw.id)})
    assert response.status_code == 302
    assert db.session.scalar(select(HubPage.owner_id).where(HubPage.title == "Respite")) == ssw.id


def test_many_staff_are_typed_and_a_name_that_is_nobody_s_is_told_and_kept(client):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    for n in range(SHORT_LIST):
        make_user(Role.SSW, name=f"Worker {n:02}")
    wanted = make_user(Role.SSW, name="Priya Okonkwo", email="priya.okonkwo@example.org")
    client.sign_in(admin)
    form = client.get("/information/new")
    assert "data-lookup" in form.text and "/lookups/people/staff" in form.text
    refused = client.submit("/information/new", {**PAGE, "owner_id": "Nobody Atall"})
    assert refused.status_code == 422
    assert "No one who can be chosen here matches ‘Nobody Atall’" in text_of(refused)
    assert _owner_field(client).fields["owner_id"] == "Nobody Atall"
    suggestions = client.get("/lookups/people/staff?q=okonk").get_json()
    assert suggestions == ["Priya Okonkwo (priya.okonkwo@example.org)"]
    response = client.submit("/information/new", {**PAGE, "owner_id": suggestions[0]})
    assert response.status_code == 302
    assert db.session.scalar(select(HubPage.owner_id).where(HubPage.title == "Respite")) == wanted.id
