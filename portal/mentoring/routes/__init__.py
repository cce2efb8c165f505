"""The mentoring blueprint: coordinators (routes/coordinator.py, routes/batch.py, routes/report.py), mentors and
mentees (routes/people.py, routes/conversation.py)."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from portal.mentoring.routes import batch, conversation, coordinator, importing, people, report  # noqa: E402,F401


def register(app) -> None:
    from portal.auth.roles import Role
    from portal.core.badges import register_badge
    from portal.hub.navigation import badge
    from portal.mentoring.queries import UNREAD_TOTAL

    register_badge("mentoring", frozenset({Role.MENTOR, Role.APPLICANT, Role.CARER}), UNREAD_TOTAL)

    def mentoring_unread() -> int:
        """Unread mentoring messages, for the navigation and the home page: fetched with the page's other badges,
        once per request."""
        return badge("mentoring")

    app.jinja_env.globals["mentoring_unread"] = mentoring_unread
    app.register_blueprint(bp)
