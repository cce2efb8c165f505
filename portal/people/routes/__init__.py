"""The people blueprint: read pages for carers and staff (views.py) and the admin pages that change them (staff.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("people", __name__)

from portal.people.routes import carer_security, lookups, staff, views  # noqa: E402,F401  (attach the views to bp)
