"""Running queued jobs in tests the way a worker does: off the real queue, one at a time, each in a fresh application
context with its own database session (never the session of the request or test that queued it)."""

from __future__ import annotations

from contextlib import contextmanager

from flask import has_app_context
from huey import signals
from huey.consumer import Consumer

from portal.core.db import db
from portal.core.jobs import huey


class JobFailed(AssertionError):
    """A job failed with no retries left: in production it would have been logged and dropped."""


class JobsStillQueued(AssertionError):
    """The queue did not empty within the limit: a job keeps queuing work or never stops retrying."""


def drain_jobs(app, *, limit: int = 200, retries_now: bool = False) -> int:
    """Run queued jobs until the queue is empty; return how many ran.

    As huey's consumer: a task is popped, executed by `huey.execute` (results, retries, signals as in a worker).
    A job that failed and will be retried waits for its `retry_delay`, as on a worker; with `retries_now` the wait
    is over at once (each retry run counts towards `limit`). A job failing for good raises JobFailed.
    """
    failures: list[tuple[str, BaseException]] = []

    def record_failure(signal, task, exc=None):
        if task.retries == 0:
            failures.append((task.name, exc))

    huey.signal(signals.SIGNAL_ERROR)(record_failure)
    ran = 0
    try:
        while True:
            task = huey.dequeue()
            if task is None and retries_now:
                due = huey.storage.read_schedule(_far_future())
                for data in due:
                    task_ = huey.deserialize_task(data)
                    task_.eta = None
                    huey.enqueue(task_)
                task = huey.dequeue()
            if task is None:
                break
            if ran >= limit:
                raise JobsStillQueued(f"more than {limit} jobs ran and the queue is still not empty")
            with app.app_context():  # a fresh context: its own `g` and its own database session
                huey.execute(task)
            ran += 1
    finally:
        huey.disconnect_signal(record_failure, signals.SIGNAL_ERROR)
    if has_app_context():
        db.session.expire_all()  # the caller's session sees what the jobs committed, as a new request would
    if failures:
        name, exc = failures[0]
        raise JobFailed(f"job {name} failed: {exc!r}") from exc
    return ran


def queued_jobs() -> list[str]:
    """Names of the tasks waiting on the queue, oldest first."""
    return [task.name for task in huey.pending()]


def _far_future():
    import datetime

    return datetime.datetime(9999, 1, 1)


class _ThreadedConsumer(Consumer):
    def _set_signal_handlers(self):  # pytest keeps Ctrl-C; the consumer runs in threads of the test process
        pass


@contextmanager
def worker_running(*, workers: int = 1):
    """huey's own consumer in background threads (as `flask worker` runs it), for tests against a live server."""
    consumer = _ThreadedConsumer(
        huey, workers=workers, worker_type="thread", periodic=False, check_worker_health=False, max_delay=0.5
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
