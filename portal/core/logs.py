"""Structured (JSON) logs that carry ids only: never names, emails, tokens or children's details."""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, g, request

_FIELDS = ("event", "method", "endpoint", "status", "user_id", "duration_ms", "message_id", "error")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        out.update({k: getattr(record, k) for k in _FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(out)


def init_logging(app: Flask) -> None:
    # A line per request: our JSON carries none of the caller's file and line, thread or process, and working them
    # out (a walk up the stack for the caller) costs more than writing the line. Python's logging HOWTO,
    # "Optimization", names these switches.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("hearth")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    access = logging.getLogger("hearth.request")

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        if request.endpoint != "static" and not app.config.get("TESTING"):
            # The person if the request looked them up (Flask-Login keeps them on g): a log line never costs a query.
            user = g.get("_login_user")
            # The endpoint name, not the path: paths can hold tokens (invitation links).
            access.info(
                "request",
                extra={
                    "event": "request",
                    "method": request.method,
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "user_id": user.get_id() if user is not None and user.is_authenticated else None,
                    "duration_ms": round(
                        (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1
                    ),
                },
            )
        return response
