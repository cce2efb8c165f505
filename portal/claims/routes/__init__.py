"""The claims blueprint: carers (routes/carer.py), business support (routes/staff.py) and admins (routes/admin.py)."""

from flask import Blueprint

bp = Blueprint("claims", __name__)

from portal.claims.routes import admin, arrears, carer, staff  # noqa: E402,F401  (routes attach themselves to bp)


def register(app) -> None:
    app.register_blueprint(bp)
