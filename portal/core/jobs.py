"""The task queue: huey on SQLite (VAR_DIR/jobs.db) in the embedded default, on Redis when REDIS_URL is set.

Tasks are declared when their modules are imported, on the module-level `huey`; its storage is chosen from the
app's settings by `init_jobs(app)`, so web servers, workers and tests all use the queue their `Config` names.
Nothing runs inside the request that queued it: a worker (`flask worker`) or, in tests, `tests.jobs.drain_jobs`
takes tasks off the queue. Tasks take ids, reload rows and are idempotent. Each runs in a fresh application
context of the app that configured the queue, with its own database session.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from huey import Huey
from huey.storage import MemoryStorage, PriorityRedisStorage, SqliteStorage

# huey runs higher numbers first; documents and exports wait behind photos and emails.
DEFAULT_PRIORITY = 10
LOW_PRIORITY = 0


class JobsNotConfigured(RuntimeError):
    """A task was queued or run before create_app() configured the queue in this process."""


class _Unconfigured(MemoryStorage):
    def enqueue(self, data, priority=None):
        raise JobsNotConfigured("jobs need create_app() to have run in this process")


huey = Huey("hearth", storage_class=_Unconfigured)
_app = None


def storage_from_config(config):
    """PriorityRedisStorage when REDIS_URL is set, else SqliteStorage at VAR_DIR/jobs.db (both honour priority)."""
    if config.get("REDIS_URL"):
        return PriorityRedisStorage("hearth", url=config["REDIS_URL"])
    var_dir = Path(config["VAR_DIR"])
    var_dir.mkdir(parents=True, exist_ok=True)
    return SqliteStorage("hearth", filename=str(var_dir / "jobs.db"))


def init_jobs(app) -> None:
    """Point the queue at the storage the app's settings name; tasks then run in this app's context."""
    global _app
    _app = app
    huey.storage = storage_from_config(app.config)
    app.extensions["hearth_jobs"] = huey


def _in_app(fn):
    @wraps(fn)
    def run_in_app(*args, **kwargs):
        from flask import has_app_context

        if has_app_context():  # tests.jobs.drain_jobs pushes a fresh context itself
            return fn(*args, **kwargs)
        if _app is None:
            raise JobsNotConfigured("jobs need create_app() to have run in this process")
        with _app.app_context():
            return fn(*args, **kwargs)

    return run_in_app


def job(*, priority: int = DEFAULT_PRIORITY, **task_options):
    """Declare a background task (huey options: retries, retry_delay...). Calling it queues it.

    Queue it after the transaction that creates its rows commits: `enqueue(task, *args)` does that.
    """

    def decorator(fn):
        return huey.task(priority=priority, **task_options)(_in_app(fn))

    return decorator


def enqueue(task, *args, priority: int | None = None, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (dropped if it rolls back).

    `priority` overrides the task's own (LOW_PRIORITY for bulky documents and exports).
    """
    from portal.core.unit_of_work import after_commit

    if priority is None:
        after_commit(lambda: task(*args, **kwargs))
    else:
        after_commit(lambda: huey.enqueue(task.s(*args, priority=priority, **kwargs)))


def every(**crontab_fields):
    """Declare a task the workers run on a schedule, e.g. @every(minute="15", hour="3") for 03:15 daily."""
    from huey import crontab

    def decorator(fn):
        return huey.periodic_task(crontab(**crontab_fields))(_in_app(fn))

    return decorator


def queue_health() -> str:
    try:
        huey.pending_count()
        return "ok"
    except Exception:  # the health page must answer even when the queue is down
        return "unavailable"
