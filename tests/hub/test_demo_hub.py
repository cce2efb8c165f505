"""The demo's groups and information hub: the counts the demo promises, and every page renders for a carer."""

from __future__ import annotations

import re

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.db import db
from portal.core.uploads import READY
from portal.groups.demo import load_groups_demo
from portal.groups.models import GroupBreak, MeetingChange, SupportGroup
from portal.hub.demo import load_hub_demo
from portal.hub.models import HubPage, Newsletter, TeamContact
from tests.jobs import drain_jobs
from tests.pages import text_of

pytestmark = [pytest.mark.one_database, pytest.mark.long]  # the same on any database: run in the SQLite pass only


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_has_groups_pages_contacts_and_newsletters_and_each_renders(client, demo):
    drain_jobs(current_app._get_current_object())
    load_groups_demo()
    load_hub_demo()  # a second run adds nothing
    assert _count(SupportGroup) == 8 and _count(HubPage) == 15 and _count(TeamContact) == 5
    assert len({g.locality_id for g in db.session.scalars(select(SupportGroup))}) == 2
    assert _count(MeetingChange) == 2 and _count(GroupBreak) > 8
    letters = list(db.session.scalars(select(Newsletter)))
    assert len(letters) == 6 and all(n.file.status == READY for n in letters)
    carer = db.session.scalar(select(User).where(User.email == "carer@example.org"))
    client.sign_in(carer)
    urls = ["/groups", "/information", "/newsletters", "/help", "/calendar", "/search?q=allowance", "/"]
    urls += [f"/groups/{i}" for i in db.session.scalars(select(SupportGroup.id))]
    urls += [f"/information/{i}" for i in db.session.scalars(select(HubPage.id))]
    failures = [(u, r.status_code) for u in urls if (r := client.get(u)).status_code != 200]
    assert not failures
    # Every claim question on the home page is also in the carer's notifications.
    home, inbox = text_of(client.get("/")), text_of(client.get("/notifications"))
    asked = re.findall(r"have a question about your claim (CL-\d+)", home)
    assert asked and all(f"have a question about your claim {n}" in inbox for n in asked)
    help_page = text_of(client.get("/help"))
    assert "Priya Shah" in help_page and "01632 960111" in help_page
    policy = db.session.scalar(select(HubPage).where(HubPage.title == "Payment policy"))
    assert "Weekly allowance for each child" in text_of(client.get(f"/information/{policy.id}"))
