"""The scheduler process (`flask scheduler`): starts the periodic jobs and sweeps uploads whose lease ran out.

Workers (`flask worker`) run whatever is queued, and any number of them may run; periodic jobs must be queued by one
process only, or the nightly housekeeping would run once per worker. So exactly one scheduler runs per deployment.
It does no heavy work itself: the sweep queues jobs, the periodic jobs are queued for the workers.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

log = logging.getLogger("hearth.scheduler")


def run_scheduler(app: Flask, stop: threading.Event, tick_seconds: float = 1.0) -> None:
    """Until `stop` is set: every JOBS_SWEEP_SECONDS sweep stale uploads, and at each new minute queue the periodic
    jobs whose crontab matches it (as huey's own consumer would). Errors are logged and the loop goes on. The caller
    has imported every module that declares periodic jobs (portal.jobs_registry)."""
    from portal.core.jobs import huey
    from portal.core.leases import sweep_stale_uploads

    next_sweep = time.monotonic()
    last_minute = None
    log.info("scheduler started", extra={"event": "scheduler_started"})
    while not stop.is_set():
        if time.monotonic() >= next_sweep:
            next_sweep = time.monotonic() + app.config["JOBS_SWEEP_SECONDS"]
            with app.app_context():
                try:
                    sweep_stale_uploads()
                except Exception:  # the database may be briefly away: the next sweep tries again
                    log.exception("sweep failed", extra={"event": "sweep_failed"})
        minute = int(time.time() // 60)
        if minute != last_minute:
            last_minute = minute
            try:
                for task in huey.read_periodic(None):
                    huey.enqueue(task)
                    log.info("periodic job queued", extra={"event": "periodic_queued", "task": task.name})
            except Exception:
                log.exception("could not queue periodic jobs", extra={"event": "periodic_failed"})
        stop.wait(tick_seconds)
    log.info("scheduler stopped", extra={"event": "scheduler_stopped"})
