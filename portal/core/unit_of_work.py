"""One use case, one transaction: `unit_of_work()` / `@transactional` own the commit, `after_commit` the side effects.

A service declares its use case with `@transactional`; it adds and changes rows but never commits. The outermost
unit of work commits when the use case returns and rolls everything back when it raises, so a caller never has to
undo what a service half-did. A unit of work opened inside another joins it (one commit, at the outer end).

Work that must only happen once the rows it refers to exist for everyone else (queuing a job, sending an email)
is registered with `after_commit(fn)`: it runs after the commit and is dropped if the transaction rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.core.db import db

log = logging.getLogger("hearth.unit_of_work")

_DEPTH = "hearth.uow_depth"
_COMMITTING = "hearth.uow_committing"
_PENDING = "hearth.after_commit"
_WROTE = "hearth.wrote"

F = TypeVar("F", bound=Callable)


class CommitInsideUnitOfWork(RuntimeError):
    """Code inside a unit of work called commit(): only the unit of work commits, when the use case ends."""


def after_commit(fn: Callable[[], object]) -> None:
    """Run `fn()` once the session's current transaction commits; drop it if that transaction rolls back.

    Inside a unit of work it waits for the unit's commit. Outside one it waits only if the session holds changes
    not yet committed; with nothing written there is nothing to wait for, and `fn` runs now.
    """
    session = db.session()
    if not session.info.get(_DEPTH) and not _has_writes(session):
        fn()
        return
    session.info.setdefault(_PENDING, []).append(fn)


def _has_writes(session: Session) -> bool:
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def in_unit_of_work() -> bool:
    return bool(db.session().info.get(_DEPTH))


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit on success, roll back on any exception; nested units of work join the outermost one."""
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        if depth:
            yield session
            return
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.info[_COMMITTING] = True
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info[_COMMITTING] = False
    finally:
        session.info[_DEPTH] = depth


def transactional(fn: F) -> F:
    """Run the decorated use case in a unit of work (see `unit_of_work`)."""

    @wraps(fn)
    def in_transaction(*args, **kwargs):
        with unit_of_work():
            return fn(*args, **kwargs)

    return in_transaction  # type: ignore[return-value]


@event.listens_for(Session, "before_commit")
def _refuse_commit_inside(session: Session) -> None:
    if session.in_nested_transaction():  # releasing a savepoint, not committing
        return
    if session.info.get(_DEPTH) and not session.info.get(_COMMITTING):
        raise CommitInsideUnitOfWork("commit() inside a unit of work: let the unit of work commit")


@event.listens_for(Session, "after_flush")
def _remember_writes(session: Session, _flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    session.info.pop(_WROTE, None)
    # The rows are committed whatever happens here: a failure is logged (and the sweeper re-queues stuck work)
    # rather than raised into a session that can no longer roll back.
    for fn in session.info.pop(_PENDING, []):
        try:
            fn()
        except Exception:
            log.exception("work after commit failed", extra={"event": "after_commit_failed"})


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
        session.info.pop(_WROTE, None)


def drop_pending(session: Session) -> None:
    """Forget work registered for a transaction that will never commit (the session is being thrown away)."""
    session.info.pop(_PENDING, None)
    session.info.pop(_DEPTH, None)
