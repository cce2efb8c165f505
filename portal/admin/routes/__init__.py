"""The admin blueprint: accounts and invitations (users.py, invitations.py) and the audit log (audit.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from portal.admin.routes import audit, invitations, users  # noqa: E402,F401  (views register on bp)


def register(app) -> None:
    app.register_blueprint(bp)
