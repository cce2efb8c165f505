"""The audit trail: append-only through the ORM (and in PostgreSQL itself), hash-chained, tampering detected."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.core import audit
from portal.core.audit import AuditEvent, verify_chain
from portal.core.db import db


def _record_three() -> list[AuditEvent]:
    events = [
        audit.record(db.session, "user_invited", actor_id=1, object_type="user", object_id=2, email="a@example.org"),
        audit.record(db.session, "role_granted", actor_id=1, object_type="user", object_id=2, role="carer"),
        audit.record(db.session, "user_disabled", actor_id=1, object_type="user", object_id=2),
    ]
    db.session.commit()
    return events


def _tamper(sql: str, **params) -> None:
    """Change rows behind the application's back, as someone with database access might."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # a superuser can skip triggers
        conn.execute(text(sql), params)
    db.session.expire_all()


def test_each_event_links_to_the_previous_one(app):
    first, second, third = _record_three()
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert verify_chain(db.session) is None


def test_an_event_commits_or_rolls_back_with_the_change_it_describes(app):
    audit.record(db.session, "user_invited", actor_id=1)
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_events_cannot_be_changed_through_the_orm(app):
    event = _record_three()[1]
    event.action = "nothing_happened"
    with pytest.raises(PermissionError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "role_granted"


def test_events_cannot_be_deleted_through_the_orm(app):
    event = _record_three()[0]
    db.session.delete(event)
    with pytest.raises(PermissionError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert len(db.session.scalars(select(AuditEvent)).all()) == 3


def test_an_edited_event_is_found_by_verify_chain(app):
    _, second, _ = _record_three()
    _tamper("UPDATE audit_events SET object_id = '99' WHERE id = :id", id=second.id)
    assert verify_chain(db.session) == second.id


def test_a_removed_event_breaks_the_chain_at_the_next_one(app):
    _, second, third = _record_three()
    _tamper("DELETE FROM audit_events WHERE id = :id", id=second.id)
    assert verify_chain(db.session) == third.id


def test_a_rehashed_forgery_is_still_found_by_the_next_event(app):
    first, second, _ = _record_three()
    forged = AuditEvent(
        at=first.at,
        actor_id=first.actor_id,
        action="nothing_happened",
        object_type=None,
        object_id=None,
        ip_address=first.ip_address,
        detail={},
        prev_hash=first.prev_hash,
    )
    _tamper(
        "UPDATE audit_events SET action = :action, object_type = NULL, object_id = NULL, detail = '{}', "
        "hash = :hash WHERE id = :id",
        action=forged.action,
        hash=forged.compute_hash(),
        id=first.id,
    )
    assert verify_chain(db.session) == second.id


@pytest.mark.postgres_only
@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"])
def test_postgresql_itself_refuses_to_change_events(app, statement):
    if db.dialect != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL; SQLite relies on the ORM guard")
    _record_three()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert verify_chain(db.session) is None
    assert len(db.session.scalars(select(AuditEvent)).all()) == 3
