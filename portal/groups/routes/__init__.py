"""The groups blueprint: finding and following groups and the calendar feed (routes/carer.py), running a group
(routes/coordinator.py) and listing groups and school holidays (routes/admin.py)."""

from datetime import date

from flask import Blueprint, abort

bp = Blueprint("groups", __name__)


def meeting_day(value: int) -> date:
    """A meeting named in a URL by its pattern day as yyyymmdd (20270309); anything else is 404."""
    try:
        return date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        abort(404)


from portal.groups.routes import admin, carer, coordinator  # noqa: E402,F401  (routes attach themselves to bp)


def register(app) -> None:
    from portal.core.calendar import register_feed_source
    from portal.core.search import SearchSource, register_search_source
    from portal.groups.feeds import followed_meetings
    from portal.groups.policy import READERS
    from portal.groups.welcome import queue_welcomes
    from portal.people.events import on_carers_joined_locality

    register_feed_source("groups", followed_meetings)
    register_search_source(SearchSource("groups", "Support group", lambda user: user.has_role(*READERS)))
    on_carers_joined_locality(queue_welcomes)
    app.register_blueprint(bp)
