"""The scheduler process's loop: periodic jobs queued once a minute, uploads swept every JOBS_SWEEP_SECONDS."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from portal.core.jobs import every
from portal.core.scheduler import run_scheduler
from tests.jobs import drain_jobs

ticks: list[float] = []


@every()  # every minute
def remember_tick() -> None:
    ticks.append(time.time())


def _run_until(app, done, seconds: float = 10) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(app, stop), kwargs={"tick_seconds": 0.05}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not done():
            drain_jobs(app)  # a worker takes what the scheduler queued
            time.sleep(0.05)
        time.sleep(0.5)  # long enough for a wrongly repeated queuing to show
        drain_jobs(app)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive(), "the scheduler did not stop when asked"


def test_periodic_jobs_are_queued_once_for_the_current_minute(app):
    ticks.clear()
    started_minute = int(time.time() // 60)
    _run_until(app, lambda: ticks)
    minutes = int(time.time() // 60) - started_minute + 1
    assert 1 <= len(ticks) <= minutes


def test_the_scheduler_sweeps_uploads_whose_lease_ran_out(app):
    from portal.core.db import db
    from portal.core.uploads import READY
    from tests.uploads.conftest import stored_files
    from tests.uploads.test_leases import DEAD_WORKER, _upload_left_by

    app.config["JOBS_SWEEP_SECONDS"] = 1
    _upload_left_by(DEAD_WORKER, expires_in=timedelta(seconds=-1))
    db.session.remove()
    _run_until(app, lambda: stored_files()[0].status == READY)
    assert stored_files()[0].status == READY
