"""Append-only, hash-chained audit events: who did what, to what, when and from where."""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import JSON, String, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.db import Base, utcnow

_CHAIN_LOCK = 7_414_001  # PostgreSQL advisory-lock key: one writer extends the chain at a time

# "From where": the web layer sets the client address per request, so services never read the request themselves.
client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)  # no FK: the trail outlives accounts
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def compute_hash(self) -> str:
        body = json.dumps(
            [
                self.prev_hash,
                self.at.isoformat(),
                self.actor_id,
                self.action,
                self.object_type,
                self.object_id,
                self.ip_address,
                self.detail,
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _conn, _target):
    raise PermissionError("audit events are append-only")


def _lock_chain(session: Session) -> None:
    """Hold the right to extend the chain until this transaction ends, so that no two events share a predecessor.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database write lock, taken before the head is read.
    Python's sqlite3 opens a transaction only at the first write, so a read of the head outside one would see a head
    that another writer is about to replace; BEGIN IMMEDIATE takes the write lock first (and waits for it).
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if not raw.in_transaction:  # inside one, an earlier write of this unit already holds the lock
            raw.execute("BEGIN IMMEDIATE")


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    object_type: str | None = None,
    object_id: object = None,
    ip_address: str | None = None,
    **detail: object,
) -> AuditEvent:
    """Add an event to the caller's transaction; it commits (or rolls back) with the change it describes."""
    session.flush()
    _lock_chain(session)
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or "0" * 64
    ev = AuditEvent(
        at=utcnow().replace(microsecond=0),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip_address=ip_address or client_ip.get(),
        detail={k: v for k, v in detail.items() if v is not None},
        prev_hash=prev,
    )
    ev.hash = ev.compute_hash()
    session.add(ev)
    session.flush()
    return ev


def verify_chain(session: Session) -> int | None:
    """Return the id of the first event whose hash does not follow from its predecessor, or None if intact."""
    prev = "0" * 64
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if ev.prev_hash != prev or ev.compute_hash() != ev.hash:
            return ev.id
        prev = ev.hash
    return None
