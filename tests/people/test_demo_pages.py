"""Every people page renders for the demo service's admin, SSW and carer (real volumes of placements and history)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.core.db import db
from portal.people.models import Child, Household, Placement

pytestmark = [pytest.mark.one_database, pytest.mark.long]  # the same on any database: run in the SQLite pass only


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_people_pages_render_for_the_demo_admin(client, demo):
    client.sign_in(_user("admin@example.org"))
    urls = ["/", "/households", "/children", "/localities", "/localities/new", "/households/new", "/children/new"]
    urls += [f"/households/{i}" for i in db.session.scalars(select(Household.id))]
    urls += [f"/households/{i}/edit" for i in db.session.scalars(select(Household.id).limit(3))]
    urls += [f"/children/{i}" for i in db.session.scalars(select(Child.id))]
    urls += [f"/children/{i}/edit" for i in db.session.scalars(select(Child.id).limit(3))]
    urls += [f"/children/{i}/placements/new" for i in db.session.scalars(select(Child.id).limit(3))]
    for pid in db.session.scalars(select(Placement.id).limit(3)):
        urls += [f"/placements/{pid}/edit", f"/placements/{pid}/end"]
    failures = [(u, r.status_code) for u in urls if (r := client.get(u)).status_code != 200]
    assert not failures


def test_people_pages_render_for_the_demo_ssw_and_carer(client, demo):
    client.sign_in(_user("ssw@example.org"))
    for url in ("/", "/households", "/children"):
        assert client.get(url).status_code == 200
    carer = client.application.test_client()
    carer.sign_in(_user("carer@example.org"))
    home = carer.get("/")
    assert home.status_code == 200 and "Children living with you" in home.text
