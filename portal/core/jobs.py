"""The task queue: huey on SQLite in the embedded default, on Redis in production, immediate in tests.

Tasks take ids, reload rows and are idempotent. Each runs inside an application context of the app that
configured the queue, so it uses the same database and settings as the web tier.
"""

from __future__ import annotations

import os
from functools import wraps
from pathlib import Path

from huey import MemoryHuey, RedisHuey, SqliteHuey

from portal.config import ROOT


def _make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("hearth", url=redis_url)
    if os.environ.get("HEARTH_ENV") == "test":
        return MemoryHuey("hearth", immediate=True)
    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("hearth", filename=str(var_dir / "jobs.db"))


huey = _make_huey()

# huey runs higher priorities first (SQLite and priority Redis storage; plain Redis keeps arrival order). Photos and
# emails use the default; slow, bounded work such as rebuilding documents waits behind them.
LOW_PRIORITY = -10
_app = None


def init_jobs(app) -> None:
    global _app
    _app = app
    if app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True
    app.extensions["hearth_jobs"] = huey


def _in_app(fn):
    @wraps(fn)
    def run_in_app(*args, **kwargs):
        from flask import has_app_context

        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("jobs need create_app() to have run in this process")
        with _app.app_context():
            return fn(*args, **kwargs)

    return run_in_app


def job(**task_options):
    """Declare a background task; it runs with the app context and its own database session."""

    def decorator(fn):
        return huey.task(**task_options)(_in_app(fn))

    return decorator


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
