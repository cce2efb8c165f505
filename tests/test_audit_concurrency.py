"""The audit chain stays one line under concurrent writers, on SQLite as on PostgreSQL: verify_chain finds nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core import audit
from portal.core.audit import AuditEvent, verify_chain
from portal.core.db import db
from tests.factories import make_user

WRITERS = 64


def _run_at_once(work) -> list:
    """Run work(i) for i in 0..63 on 64 threads released together, and return the results."""
    barrier = threading.Barrier(WRITERS)

    def start(i):
        barrier.wait(timeout=60)
        return work(i)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(start, range(WRITERS)))


def _assert_one_line(expected: int) -> None:
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == expected
    assert len({e.prev_hash for e in events}) == len(events), "two events share a predecessor: the chain forked"
    assert verify_chain(db.session) is None


def test_64_concurrent_writers_extend_one_chain(app):
    audit.record(db.session, "chain_started", actor_id=None)
    db.session.commit()

    def write(i):
        with app.app_context():
            audit.record(db.session, "concurrent_write", actor_id=i, object_type="test", object_id=i)
            db.session.commit()

    _run_at_once(write)
    _assert_one_line(WRITERS + 1)


def test_64_concurrent_refused_requests_extend_one_chain(app):
    carer = make_user(Role.CARER, mfa=False)
    signed_in = app.test_client()
    signed_in.sign_in(carer)
    cookie = signed_in.get_cookie("hearth_session").value
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    def refused_request(i):
        client = app.test_client()
        client.set_cookie("hearth_session", cookie)
        # Half are refused by role (403), half ask for something that is not theirs (404): both are audited.
        return client.get("/admin/users" if i % 2 else f"/children/{1000 + i}").status_code

    statuses = _run_at_once(refused_request)
    assert sorted(set(statuses)) == [403, 404]
    _assert_one_line(before + WRITERS)
