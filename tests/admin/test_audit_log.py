"""The audit log viewer: newest first, filters, paging, and whether the hash chain holds."""

from sqlalchemy import text

from portal.auth.roles import Role
from portal.core import audit
from portal.core.db import db
from tests.factories import make_user
from tests.pages import text_of


def _admin(client):
    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    return admin


def test_events_are_shown_newest_first_with_the_chain_verified(client):
    _admin(client)
    audit.record(db.session, "first_thing", actor_id=None)
    audit.record(db.session, "second_thing", actor_id=None)
    db.session.commit()
    page = text_of(client.get("/admin/audit-log"))
    assert "Verified" in page
    assert page.index("second_thing") < page.index("first_thing")


def test_events_can_be_filtered_by_action_and_person(client):
    admin = _admin(client)
    person = make_user(Role.CARER)
    audit.record(db.session, "role_granted", actor_id=admin.id, object_type="user", object_id=person.id, role="mentor")
    audit.record(db.session, "something_else", actor_id=None)
    db.session.commit()
    by_action = text_of(client.get("/admin/audit-log?action=role_granted"))
    assert "role_granted" in by_action and "something_else" not in by_action
    by_person = text_of(client.get(f"/admin/audit-log?user_id={person.id}"))
    assert "role_granted" in by_person and "something_else" not in by_person


def test_a_bad_user_id_filter_gets_a_message_not_an_error(client):
    _admin(client)
    response = client.get("/admin/audit-log?user_id=abc")
    assert response.status_code == 200 and "There is a problem" in response.text


def test_the_log_is_paginated(client):
    _admin(client)
    for n in range(60):
        audit.record(db.session, f"bulk_{n:02d}", actor_id=None)
    db.session.commit()
    first = text_of(client.get("/admin/audit-log"))
    assert "bulk_59" in first and "bulk_00" not in first and "Showing 1 to 25 of" in first
    assert "/admin/audit-log?page=2" in client.page.hrefs
    assert "bulk_00" in text_of(client.get("/admin/audit-log?page=3"))


def test_a_tampered_event_is_reported(client):
    _admin(client)
    event = audit.record(db.session, "will_be_tampered", actor_id=None)
    db.session.commit()
    with db.engine.begin() as conn:  # outside the service, as a person with database access might
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE audit_events SET action = 'innocent' WHERE id = :i"), {"i": event.id})
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    page = text_of(client.get("/admin/audit-log"))
    assert f"does not verify from event {event.id}" in page
