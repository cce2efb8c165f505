"""Idempotency keys: a form sent twice (a double tap, an outbox retry, a retry storm) stores one thing, and every
repeat is answered with the first answer.

A form that may be sent again carries a key it was given when the page was drawn (or that the outbox made). The
use case claims the key first, in its own transaction, then does its work and records where its result lives:

    with unit_of_work():
        outcome = once(actor.id, form.idempotency_key.data, "memories.add_memory",
                       lambda: services.add_memories(...), lambda items: url_for(...))
    return redirect(outcome.result_url)

Concurrent repeats are settled by the database: the key is unique per person, so the second insert waits for the
first transaction (PostgreSQL's unique index, SQLite's single writer) and then fails; the loser rolls back and
answers with the winner's result. If the first attempt fails, its key goes with its rollback, and a retry starts
afresh. Keys are kept for IDEMPOTENCY_KEY_DAYS (longer than an entry can wait in an outbox), then removed by a
nightly job.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from flask import current_app
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, IdMixin, db, utcnow
from portal.core.jobs import every
from portal.core.unit_of_work import in_unit_of_work

T = TypeVar("T")

# What a client may send as a key: a UUID (hex or with dashes) or any short token of the same alphabet.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class IdempotencyKey(IdMixin, Base):
    """One key a person used for one form, and where the thing it created can be seen (a path inside Hearth)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),)

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(100))
    # Empty while the first attempt is still running; set before it commits.
    result_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class KeyUsedElsewhere(Exception):
    """The key was already used by this person for another form (a tampered or reused hidden field)."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """`result_url`: where to send the person; `created`: False for a repeat; `value`: what `work` returned (None
    for a repeat)."""

    result_url: str
    created: bool
    value: T | None = None


def clean_key(raw: str | None) -> str:
    """The key a form sent, or a fresh one when it sent none or nonsense (that submission is then not deduplicated,
    as a form without JavaScript from before keys existed would be)."""
    raw = (raw or "").strip()
    return raw if KEY_PATTERN.match(raw) else uuid.uuid4().hex


def new_key() -> str:
    """A key for a form being drawn: 32 hex characters."""
    return uuid.uuid4().hex


def _find(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))


def _replay(found: IdempotencyKey, endpoint: str) -> Outcome:
    if found.endpoint != endpoint:
        raise KeyUsedElsewhere(f"key already used for {found.endpoint}")
    return Outcome(found.result_url, created=False)


def once(
    user_id: int,
    key: str | None,
    endpoint: str,
    work: Callable[[], T],
    result_url: Callable[[T], str],
) -> Outcome[T]:
    """Run `work()` once per (`user_id`, `key`) and answer repeats with the first `result_url(value)`.

    Must run inside a unit of work and be its first write: losing a race rolls the transaction back (SQLite cannot
    keep a savepoint across the lost insert) before the winner's answer is read. Exceptions from `work` propagate
    and take the key with them, so a failed attempt can be retried. Raises KeyUsedElsewhere when the person used
    the key for another endpoint.
    """
    if not in_unit_of_work():
        raise RuntimeError("once() needs a unit of work: the key and the thing it creates commit together")
    key = clean_key(key)
    found = _find(user_id, key)
    if found is not None:
        return _replay(found, endpoint)
    claim = IdempotencyKey(user_id=user_id, key=key, endpoint=endpoint, result_url="")
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request with this key got there first and has committed (the insert waited for it).
        db.session.rollback()
        found = _find(user_id, key)
        if found is None:  # it rolled back after all: this attempt may not have been the one to fail
            raise
        return _replay(found, endpoint)
    value = work()
    claim.result_url = result_url(value)
    db.session.flush()
    return Outcome(claim.result_url, created=True, value=value)


def remove_expired_keys(now: datetime | None = None) -> int:
    """Delete keys older than IDEMPOTENCY_KEY_DAYS; returns how many went. A repeat after that creates anew."""
    days = current_app.config["IDEMPOTENCY_KEY_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    db.session.commit()
    return result.rowcount or 0


@every(minute="40", hour="3")
def clear_expired_idempotency_keys() -> int:
    """Nightly: idempotency keys past their retention period are removed."""
    return remove_expired_keys()
