"""/healthz: what a load balancer sees. Database, storage and jobs are checked; nothing secret is shown."""

from __future__ import annotations

import socket

from portal.app import create_app
from portal.core.db import db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free once the socket closes: nothing listens there


def test_health_reports_ok_for_database_storage_and_jobs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "storage": "ok", "jobs": "ok"}}


def test_health_shows_no_secrets_or_connection_details(app, client):
    body = client.get("/healthz").get_data(as_text=True)
    for secret in (app.config["SECRET_KEY"], app.config["DATABASE_URL"], app.config["VAR_DIR"]):
        assert str(secret) not in body
    for word in ("SECRET", "DATABASE_URL", "password", "sqlite", "postgres"):
        assert word.lower() not in body.lower()


def test_health_is_503_when_the_database_is_unreachable(app_config, tmp_path):
    if app_config["DATABASE_URL"].startswith("sqlite"):
        unreachable = f"sqlite:///{tmp_path / 'no-such-directory' / 'hearth.db'}"
    else:
        unreachable = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/hearth?connect_timeout=2"
    broken = create_app({**app_config, "DATABASE_URL": unreachable})
    try:
        response = broken.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.json["status"] == "unavailable"
        assert response.json["checks"] == {"database": "unavailable", "storage": "ok", "jobs": "ok"}
        assert "no-such-directory" not in response.get_data(as_text=True)
    finally:
        with broken.app_context():
            db.session.remove()
            db.engine.dispose()
