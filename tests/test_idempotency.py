"""Idempotency keys (portal.core.idempotency): one thing stored per key and person, repeats answered with the first
result, concurrent repeats included, on SQLite and PostgreSQL; keys expire."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.audit import record as audit_record
from portal.core.db import db, utcnow
from portal.core.idempotency import IdempotencyKey, KeyUsedElsewhere, clean_key, once, remove_expired_keys
from portal.core.unit_of_work import unit_of_work
from tests.factories import make_user

KEY = "a" * 32


def _store(user_id: int, key: str, endpoint: str = "tests.thing", *, fail: bool = False):
    """A use case that writes one audit event and answers with a path naming it."""

    def work():
        if fail:
            raise ValueError("refused")
        event = audit_record(db.session, "test_thing", actor_id=user_id, object_type="test")
        db.session.flush()
        return event

    with unit_of_work():
        return once(user_id, key, endpoint, work, lambda event: f"/things/{event.id}")


def _things() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "test_thing"))


def test_a_repeated_key_stores_once_and_answers_with_the_first_result(app):
    carer = make_user(Role.CARER, mfa=False)
    db.session.commit()
    first = _store(carer.id, KEY)
    again = _store(carer.id, KEY)
    assert first.created and not again.created
    assert again.result_url == first.result_url == f"/things/{first.value.id}"
    assert _things() == 1


def test_keys_belong_to_one_person(app):
    one, other = make_user(Role.CARER, mfa=False), make_user(Role.CARER, mfa=False)
    db.session.commit()
    assert _store(one.id, KEY).created
    assert _store(other.id, KEY).created
    assert _things() == 2


def test_a_failed_attempt_leaves_no_key_so_a_retry_stores(app):
    carer = make_user(Role.CARER, mfa=False)
    db.session.commit()
    with pytest.raises(ValueError):
        _store(carer.id, KEY, fail=True)
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
    assert _store(carer.id, KEY).created
    assert _things() == 1


def test_a_key_used_for_another_form_is_refused(app):
    carer = make_user(Role.CARER, mfa=False)
    db.session.commit()
    _store(carer.id, KEY, "records.write_log_entry")
    with pytest.raises(KeyUsedElsewhere):
        _store(carer.id, KEY, "memories.add_memory")


def test_a_missing_or_malformed_key_is_replaced_by_a_fresh_one():
    assert clean_key("f" * 32) == "f" * 32
    assert clean_key("123e4567-e89b-12d3-a456-426614174000") == "123e4567-e89b-12d3-a456-426614174000"
    for bad in (None, "", "short", "x" * 65, "<script>alert(1)</script>", "a b c d e f g h"):
        fresh = clean_key(bad)
        assert fresh != bad and len(fresh) == 32


def test_once_outside_a_unit_of_work_is_a_programming_error(app):
    with pytest.raises(RuntimeError):
        once(1, KEY, "tests.thing", lambda: None, lambda _: "/")


def test_keys_older_than_the_retention_period_are_removed(app):
    carer = make_user(Role.CARER, mfa=False)
    db.session.commit()
    _store(carer.id, KEY)
    _store(carer.id, "b" * 32)
    old = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == KEY))
    old.created_at = utcnow() - timedelta(days=app.config["IDEMPOTENCY_KEY_DAYS"] + 1)
    db.session.commit()
    assert remove_expired_keys() == 1
    assert [k.key for k in db.session.scalars(select(IdempotencyKey))] == ["b" * 32]
    # After expiry a repeat is treated as new: the retention period must outlast any outbox.
    assert _store(carer.id, KEY).created


def test_the_nightly_job_is_registered(app):
    from portal.core.jobs import huey

    assert "clear_expired_idempotency_keys" in {t.__name__ for t in huey._registry._periodic_tasks}


def test_concurrent_repeats_store_one_and_all_answer_with_its_result(app):
    """Eight requests with one key released together (a retry storm): one stores, every one gets its address."""
    carer = make_user(Role.CARER, mfa=False)
    db.session.commit()
    carer_id, writers = carer.id, 8
    barrier = threading.Barrier(writers)

    def attempt(_i):
        with app.app_context():
            barrier.wait(timeout=30)
            outcome = _store(carer_id, KEY)
            return outcome.result_url, outcome.created

    with ThreadPoolExecutor(writers) as pool:
        results = list(pool.map(attempt, range(writers)))
    assert sum(created for _url, created in results) == 1
    assert len({url for url, _created in results}) == 1
    assert _things() == 1
