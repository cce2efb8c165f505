"""The memories blueprint: reading boxes (box.py), adding (carer.py), moderation, access and exports (staff.py),
deletion and legal holds (admin.py)."""

from flask import Blueprint

from portal.auth.roles import Role

bp = Blueprint("memories", __name__)

READERS = (Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN, Role.YOUNG_PERSON)
ADDERS = (Role.CARER, Role.SSW, Role.CHILD_SW)
MODERATORS = (Role.SSW, Role.CHILD_SW, Role.ADMIN)

from portal.memories.routes import admin, box, carer, staff  # noqa: E402,F401  (routes attach themselves to bp)


def register(app) -> None:
    from flask_login import current_user

    from portal.memories.queries import on_this_day

    def memories_on_this_day():
        # For the home page partial (templates/memories/_on_this_day.html): the signed-in carer's children only.
        return on_this_day(current_user) if current_user.is_authenticated else []

    app.jinja_env.globals["memories_on_this_day"] = memories_on_this_day
    app.register_blueprint(bp)
