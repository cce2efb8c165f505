"""The mentoring blueprint: coordinators (routes/coordinator.py, routes/batch.py, routes/report.py), mentors and
mentees (routes/people.py, routes/conversation.py)."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from portal.mentoring.routes import batch, conversation, coordinator, importing, people, report  # noqa: E402,F401


def register(app) -> None:
    from flask import g
    from flask_login import current_user

    from portal.mentoring.queries import unread_total

    def mentoring_unread() -> int:
        """Unread mentoring messages, for the navigation and the home page: one query, once per request."""
        if "hearth_mentoring_unread" not in g:
            user = current_user._get_current_object()
            signed_in = user.is_authenticated and not user.second_factor_owed
            g.hearth_mentoring_unread = unread_total(user) if signed_in else 0
        return g.hearth_mentoring_unread

    app.jinja_env.globals["mentoring_unread"] = mentoring_unread
    app.register_blueprint(bp)
