"""/healthz for load balancers and monitoring: database, file storage and job queue, without secrets."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from portal.auth.gates import public
from portal.core.db import db
from portal.core.jobs import queue_health

bp = Blueprint("ops", __name__)


def _database_health() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # a health check reports; it never raises
        db.session.rollback()
        return "unavailable"


@bp.route("/healthz")
@public
def healthz():
    checks = {
        "database": _database_health(),
        "storage": current_app.extensions["hearth_storage"].health(),
        "jobs": queue_health(),
    }
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", checks=checks), 200 if healthy else 503
