"""The mentoring blueprint: coordinators (routes/coordinator.py, routes/batch.py, routes/report.py), mentors and
mentees (routes/people.py, routes/conversation.py)."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from portal.mentoring.routes import batch, conversation, coordinator, importing, people, report  # noqa: E402,F401


def register(app) -> None:
    from flask_login import current_user

    from portal.mentoring.queries import unread_total

    def mentoring_unread() -> int:
        """Unread mentoring messages, for the navigation and the home page (one query)."""
        if not current_user.is_authenticated or current_user.second_factor_owed:
            return 0
        return unread_total(current_user)

    app.jinja_env.globals["mentoring_unread"] = mentoring_unread
    app.register_blueprint(bp)
