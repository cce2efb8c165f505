"""Leases and the sweep: work a killed worker lost is queued again, once, and leaves no orphans or duplicates."""

from __future__ import annotations

import io
from datetime import timedelta

from portal.core import leases
from portal.core.db import db, utcnow
from portal.core.uploads import PENDING_SCAN, PROCESSING, READY, REJECTED, process_upload, receive, reconcile, storage
from tests.jobs import drain_jobs
from tests.uploads.conftest import stored_files, stored_keys
from tests.uploads.corpus import jpeg

DEAD_WORKER = "worker-host:4242:1"


def _upload_left_by(holder: str | None, *, expires_in: timedelta, status: str = PROCESSING, partial: bool = False):
    """A photo received and committed whose job is gone: the state a SIGKILL leaves behind. With `partial`, the dead
    worker had already written one rendition."""
    stored = receive(None, io.BytesIO(jpeg()), "photo.jpg", purpose="log_attachment", prefix="logs")
    stored.status, stored.leased_by, stored.lease_expires_at = status, holder, utcnow() + expires_in
    db.session.commit()
    if partial:
        storage().put(f"{stored.key_prefix}/{stored.uid}/thumb.jpg", b"half a thumbnail", "image/jpeg")
    return stored


def _clean() -> bool:
    report = reconcile()
    return not any(report.values())


def test_receiving_a_file_puts_it_in_the_queues_care_for_one_lease(app):
    stored = receive(None, io.BytesIO(jpeg()), "photo.jpg", purpose="log_attachment", prefix="logs")
    assert stored.leased_by == leases.QUEUED
    expected = utcnow() + timedelta(seconds=app.config["JOBS_LEASE_SECONDS"])
    assert abs((stored.lease_expires_at - expected).total_seconds()) < 5


def test_a_file_whose_worker_was_killed_mid_job_is_queued_again_once_and_made_ready_without_orphans(app):
    stored = _upload_left_by(DEAD_WORKER, expires_in=timedelta(seconds=-1), partial=True)
    assert leases.sweep_stale_uploads() == [stored.id]
    drain_jobs(app)  # a worker takes the queued job
    (f,) = stored_files()
    assert f.status == READY and f.leased_by is None and f.lease_expires_at is None
    assert sorted(stored_keys(app)) == sorted(r["key"] for r in f.renditions.values())  # the half thumbnail replaced
    assert _clean()
    assert leases.sweep_stale_uploads() == []  # nothing left to sweep: a second sweep queues nothing


def test_a_queued_job_that_was_lost_before_any_worker_took_it_is_queued_again(app):
    stored = _upload_left_by(leases.QUEUED, expires_in=timedelta(seconds=-1))
    assert leases.sweep_stale_uploads() == [stored.id]
    drain_jobs(app)
    assert stored_files()[0].status == READY


def test_a_file_waiting_for_the_scanner_is_swept_too(app):
    stored = _upload_left_by(leases.QUEUED, expires_in=timedelta(seconds=-1), status=PENDING_SCAN)
    assert leases.sweep_stale_uploads() == [stored.id]
    drain_jobs(app)
    assert stored_files()[0].status == READY


def test_a_file_without_a_lease_is_swept_once_it_is_older_than_a_lease(app):
    stored = _upload_left_by(None, expires_in=timedelta(0))
    stored.lease_expires_at = None
    db.session.commit()
    assert leases.sweep_stale_uploads() == []  # just received: its job may well be waiting in the queue
    later = utcnow() + timedelta(seconds=app.config["JOBS_LEASE_SECONDS"] + 1)
    assert leases.stale_uploads(later) == [stored.id]


def test_a_running_workers_lease_is_respected_by_the_sweep_and_by_a_second_copy_of_the_job(app):
    stored = _upload_left_by("busy-host:1:1", expires_in=timedelta(minutes=5))
    assert leases.sweep_stale_uploads() == []
    process_upload(stored.id)  # a duplicate job: it must not process the file under the other worker's feet
    drain_jobs(app)
    (f,) = stored_files()
    assert f.status == PROCESSING and f.leased_by == "busy-host:1:1" and f.renditions == {}
    assert stored_keys(app) == [f.quarantine_key]


def test_only_one_of_two_claims_wins(app):
    stored = _upload_left_by(leases.QUEUED, expires_in=timedelta(minutes=5))
    assert leases.claim(stored.id) is True
    assert leases.claim(stored.id) is False


def test_finished_files_are_never_swept(app):
    stored = _upload_left_by(None, expires_in=timedelta(seconds=-1))
    process_upload(stored.id)
    drain_jobs(app)
    assert stored_files()[0].status == READY
    assert leases.stale_uploads(utcnow() + timedelta(days=1)) == []


def test_a_file_rejected_after_a_killed_attempt_leaves_none_of_that_attempts_objects(app):
    stored = _upload_left_by(DEAD_WORKER, expires_in=timedelta(seconds=-1), partial=True)
    storage().delete(stored.quarantine_key)  # the original is gone: the file can only be rejected
    assert leases.sweep_stale_uploads() == [stored.id]
    drain_jobs(app)
    (f,) = stored_files()
    assert f.status == REJECTED and f.leased_by is None
    assert stored_keys(app) == []
    assert _clean()
