"""Refusals leave a trace: another household's object (404) is audited like a refused role (403)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.core.audit import AuditEvent, verify_chain
from portal.core.db import db
from portal.core.refusals import OBJECT_REFUSED, ROLE_REFUSED
from portal.memories.models import MemoryItem
from tests.factories import make_family

MISSING = 987654


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_another_households_child_is_not_found_and_the_refusal_is_audited(client):
    ours, theirs = make_family(first_name="Millie"), make_family(first_name="Tom")
    client.sign_in(ours.carer)
    assert client.get(f"/children/{theirs.child.id}").status_code == 404
    [event] = _events(OBJECT_REFUSED)
    assert (event.actor_id, event.object_type, event.object_id) == (ours.carer.id, "child", str(theirs.child.id))
    assert event.detail == {"endpoint": "people.show_child"}
    assert event.ip_address == "127.0.0.1"
    assert verify_chain(db.session) is None


def test_a_missing_id_is_audited_the_same_way(client):
    family = make_family()
    client.sign_in(family.ssw)
    assert client.get(f"/logs/{MISSING}").status_code == 404
    assert [(e.actor_id, e.object_type, e.object_id) for e in _events(OBJECT_REFUSED)] == [
        (family.ssw.id, "log_entry", str(MISSING))
    ]


def test_a_refused_post_is_audited_and_changes_nothing(client):
    ours, theirs = make_family(first_name="Millie"), make_family(first_name="Tom")
    client.sign_in(ours.carer)
    page = client.get("/")
    token = next(f.fields["csrf_token"] for f in page.page.forms if "csrf_token" in f.fields)
    response = client.post(f"/memory-box/{theirs.child.id}/add/note", data={"csrf_token": token, "title": "Hello"})
    assert response.status_code == 404
    assert [e.object_type for e in _events(OBJECT_REFUSED)] == ["memory_box"]
    assert db.session.scalar(select(func.count()).select_from(MemoryItem)) == 0


def test_ones_own_objects_leave_no_refusal(client):
    family = make_family()
    client.sign_in(family.carer)
    assert client.get(f"/children/{family.child.id}").status_code == 200
    assert _events(OBJECT_REFUSED) == []


def test_a_refused_role_is_still_audited(client):
    family = make_family()
    client.sign_in(family.carer)
    assert client.get("/admin/users").status_code == 403
    [event] = _events(ROLE_REFUSED)
    assert (event.actor_id, event.object_type, event.object_id) == (family.carer.id, "endpoint", "admin.list_users")
