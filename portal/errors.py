"""Error pages in the service's own layout, with a way forward; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.core.db import db

log = logging.getLogger("hearth.errors")

PAGES = {
    400: ("Sorry, there is a problem with that request", "Go back and try again."),
    403: ("You do not have permission to see this page", "If you think you should, contact the fostering team."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you followed a link, it may be out of date."),
    405: ("Sorry, there is a problem with that request", "Go back and try again."),
    413: ("That file is too big", "Go back and choose a smaller file, or take the photo again at a lower size."),
    429: ("Too many requests", "Wait a few minutes and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you sent has been half-saved."),
}


def _page(status: int):
    title, advice = PAGES.get(status, PAGES[500])
    return render_template("errors/error.html", status=status, title=title, advice=advice), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return render_template("errors/error.html", status=400, title="Your session has timed out",
                               advice="Go back, refresh the page and try again. For your security, forms expire when you sign out."), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code in PAGES:
            return _page(exc.code)
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        log.error("unhandled error", extra={"event": "error", "error": type(exc).__name__}, exc_info=exc)
        return _page(500)
