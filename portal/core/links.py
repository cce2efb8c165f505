"""Links to Hearth's pages for emails, notifications, jobs and exports, built from BASE_URL and the URL map.

They never depend on a request: a job in a worker, a nightly command and a page all build the same link. Pages
link with `url_for` in routes and templates; everything else uses these two functions.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    base = urlsplit(current_app.config["BASE_URL"])
    return current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")


def url_to(endpoint: str, **values) -> str:
    """The absolute URL of a page, e.g. url_to("auth.reset_password", token=t) -> "https://hearth.example/...".

    Values the route does not take become the query string. Raises werkzeug.routing.BuildError for an unknown
    endpoint or missing values.
    """
    return _adapter().build(endpoint, values, force_external=True)


def path_to(endpoint: str, **values) -> str:
    """The same page as a path under BASE_URL ("/records/log/3"): for links shown inside Hearth (notifications)."""
    return _adapter().build(endpoint, values)
