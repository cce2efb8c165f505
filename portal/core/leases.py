"""Leases on uploads being processed, and the sweep that queues again the work a killed worker lost.

huey takes a task off the queue before running it and never acknowledges it: a worker killed mid-job (a deploy, the
out-of-memory killer, a lost machine) loses the task for good. So each file still being processed carries a lease:
`leased_by` is "queue" while a job for it waits, or the name of the worker running it; `lease_expires_at` is when
that promise runs out. A worker claims a file with one conditional UPDATE, so two copies of the same job never
process it at once; the scheduler's sweep (`sweep_stale_uploads`, every JOBS_SWEEP_SECONDS) queues again every
file whose lease has run out. Queuing twice is harmless: the second job finds the file claimed or finished.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from portal.core.db import db, utcnow

log = logging.getLogger("hearth.leases")

QUEUED = "queue"
UNFINISHED = ("processing", "pending_scan")


def lease_length() -> timedelta:
    return timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])


def worker_name() -> str:
    """host:pid:thread of the running worker, so an operator (or a test) can tell who holds a file."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{threading.get_ident()}"[:100]


def queued_lease() -> dict:
    """Column values for a file whose job has just been (or is about to be) queued."""
    return {"leased_by": QUEUED, "lease_expires_at": utcnow() + lease_length()}


def claim(stored_file_id: int) -> bool:
    """Take the file for this worker until the lease runs out; commits. False if it is finished, or another
    worker's lease on it is still running (that worker, or the sweep after it, answers for it)."""
    from portal.core.uploads import StoredFile

    now = utcnow()
    result = db.session.execute(
        update(StoredFile)
        .where(
            StoredFile.id == stored_file_id,
            StoredFile.status.in_(UNFINISHED),
            or_(
                StoredFile.leased_by.is_(None),
                StoredFile.leased_by == QUEUED,
                StoredFile.lease_expires_at.is_(None),
                StoredFile.lease_expires_at < now,
            ),
        )
        .values(leased_by=worker_name(), lease_expires_at=now + lease_length())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def hand_back(stored) -> None:
    """The job failed and huey will retry it: the queue answers for the file again (the caller commits)."""
    stored.leased_by, stored.lease_expires_at = QUEUED, utcnow() + lease_length()


def hand_back_after_failure(stored) -> None:
    """As hand_back, committed; if the database itself failed, the worker's lease stands and the sweep takes over."""
    try:
        hand_back(stored)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.warning("could not hand a failed upload back to the queue", extra={"event": "lease_hand_back_failed"})


def finish(stored) -> None:
    """The file is ready or rejected: nobody needs to answer for it any more (the caller commits)."""
    stored.leased_by, stored.lease_expires_at = None, None


def stale_uploads(now: datetime | None = None) -> list[int]:
    """Ids of files still being processed whose lease ran out (or that never had one and are older than a lease)."""
    from portal.core.uploads import StoredFile

    now = now or utcnow()
    return list(
        db.session.scalars(
            select(StoredFile.id)
            .where(
                StoredFile.status.in_(UNFINISHED),
                or_(
                    StoredFile.lease_expires_at < now,
                    and_(StoredFile.lease_expires_at.is_(None), StoredFile.created_at < now - lease_length()),
                ),
            )
            .order_by(StoredFile.id)
        )
    )


def sweep_stale_uploads(now: datetime | None = None) -> list[int]:
    """Queue again every file whose lease ran out; returns their ids. Safe to run in several places at once: each
    file is taken back by a conditional UPDATE, so only one sweep queues it."""
    from portal.core.uploads import StoredFile, start_processing

    now = now or utcnow()
    requeued = []
    for stored_id in stale_uploads(now):
        taken = db.session.execute(
            update(StoredFile)
            .where(
                StoredFile.id == stored_id,
                StoredFile.status.in_(UNFINISHED),
                or_(StoredFile.lease_expires_at.is_(None), StoredFile.lease_expires_at < now),
            )
            .values(**queued_lease())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if taken.rowcount == 1:
            start_processing(db.session.get(StoredFile, stored_id))  # documents go back on their low priority
            requeued.append(stored_id)
    if requeued:
        log.warning(
            "uploads queued again after their lease ran out",
            extra={"event": "uploads_requeued", "count": len(requeued)},
        )
    return requeued
