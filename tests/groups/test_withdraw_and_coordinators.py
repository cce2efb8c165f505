"""Withdrawing a group (its members are told, it leaves the listings, search and feeds; an admin can list it again)
and changing who runs it, through the pages."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db
from portal.groups import services
from portal.groups.feeds import create_feed
from portal.groups.queries import next_meetings
from tests.factories import make_household, make_locality, make_user
from tests.groups.helpers import make_group
from tests.pages import text_of


def _carer(loc, name):
    carer = make_user(Role.CARER, name=name)
    make_household(carer, locality=loc)
    return carer


def test_a_coordinator_withdraws_their_group_and_its_members_are_told(app, client, mail_dir):
    loc = make_locality()
    coordinator, co_lead = make_user(Role.GROUP_COORDINATOR), make_user(Role.GROUP_COORDINATOR, name="Co Lead")
    follower, coming, stranger = _carer(loc, "Fern Follower"), _carer(loc, "Cal Coming"), _carer(loc, "Sam Stranger")
    group = make_group(loc, coordinator, co_lead, name="Ashford coffee morning")
    services.set_following(follower, group, True)
    services.set_coming(coming, group, next_meetings(group, today(), 1)[0].original_date, True)
    feed = create_feed(follower)
    db.session.commit()

    client.sign_in(coordinator)
    page = client.get(f"/groups/{group.id}/withdraw")
    assert "3 people will be told" in text_of(page)  # follower, the person coming, the other coordinator
    response = client.submit(f"/groups/{group.id}/withdraw", {"reason": "Try the Thursday group at the library."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/groups/mine")
    assert "Withdrawn" in text_of(client.get("/groups/mine"))

    for person in (follower, coming, co_lead):
        other = app.test_client()
        other.sign_in(person)
        inbox = text_of(other.get("/notifications"))
        assert "Ashford coffee morning has stopped and will not meet again. Try the Thursday group" in inbox
    mails = [p.read_text() for p in mail_dir.glob("*")]
    assert sum("Ashford coffee morning has stopped" in m for m in mails) == 3
    assert not any(stranger.email in m for m in mails)

    reader = app.test_client()
    reader.sign_in(stranger)
    assert "Ashford coffee morning" not in text_of(reader.get("/groups"))
    assert "Ashford coffee morning" not in text_of(reader.get("/search?q=coffee"))
    assert reader.get(f"/groups/{group.id}").status_code == 404
    assert b"Ashford coffee morning" not in reader.get(f"/calendar/feed/{feed}").data
    assert client.get(f"/groups/{group.id}/withdraw").status_code == 404  # gone for its coordinators too
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "support_group_withdrawn"))
    assert event is not None and event.object_id == str(group.id)


def test_an_admin_withdraws_and_lists_a_group_again(app, client):
    loc = make_locality()
    group = make_group(loc, make_user(Role.GROUP_COORDINATOR), name="Walk and talk")
    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    client.submit(f"/groups/{group.id}/withdraw", {})
    page = text_of(client.get(f"/groups/{group.id}"))
    assert "This group has been withdrawn" in page and "Withdraw the group" not in page
    again = client.submit(f"/groups/{group.id}/withdraw", {})
    assert again.status_code == 422 and "already been withdrawn" in text_of(again)
    client.get(f"/groups/{group.id}")
    form = next(f for f in client.page.forms if f.action.endswith("/restore"))
    client.post(form.action, data=dict(form.fields))
    reader = app.test_client()
    reader.sign_in(_carer(loc, "Back Again"))
    assert "Walk and talk" in text_of(reader.get("/groups"))


def test_a_coordinator_shares_and_hands_on_their_group(app, client):
    loc = make_locality()
    coordinator = make_user(Role.GROUP_COORDINATOR, name="First Lead")
    newcomer = make_user(Role.GROUP_COORDINATOR, name="New Lead")
    carer = _carer(loc, "Not A Coordinator")
    group = make_group(loc, coordinator, name="Kinship carers' evening")
    client.sign_in(coordinator)
    path = f"/groups/{group.id}/coordinators"
    page = text_of(client.get(path))
    assert "New Lead" in page and "Not A Coordinator" not in page  # only people with the role are offered

    refused = client.submit(path, {"coordinator_ids": []})
    assert refused.status_code == 422 and "Choose at least one coordinator" in text_of(refused)
    refused = client.submit(path, {"coordinator_ids": [str(carer.id)]})
    assert refused.status_code == 422 and "group coordinator role" in text_of(refused)

    shared = client.submit(path, {"coordinator_ids": [str(coordinator.id), str(newcomer.id)]})
    assert shared.status_code == 302
    db.session.expire_all()
    assert "First Lead, New Lead" in text_of(client.get(f"/groups/{group.id}"))
    helper = app.test_client()
    helper.sign_in(newcomer)
    assert "You now help run Kinship carers' evening" in text_of(helper.get("/notifications"))
    assert helper.get(f"/groups/{group.id}/edit").status_code == 200

    handed_on = client.submit(path, {"coordinator_ids": [str(newcomer.id)]})
    assert handed_on.status_code == 302 and handed_on.headers["Location"].endswith("/groups/mine")
    assert client.get(f"/groups/{group.id}/edit").status_code == 404  # no longer theirs to change
