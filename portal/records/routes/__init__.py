"""The records blueprint: log entries (routes/logs.py), exports (routes/export.py) and the filing cabinet (routes/cabinet.py)."""

from flask import Blueprint

bp = Blueprint("records", __name__)

from portal.records.routes import cabinet, export, logs  # noqa: E402,F401  (routes attach themselves to bp)


def register(app) -> None:
    app.register_blueprint(bp)
