"""Error pages in the service's own layout, with a way forward; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from portal.core.db import db

log = logging.getLogger("hearth.errors")

PAGES = {
    400: (
        "Sorry, there is a problem with that request",
        "Something in what was sent did not make sense to us. Go back, check the page and try again.",
    ),
    403: (
        "You do not have permission to see this page",
        "Your account does not give you access to this. If you think it should, contact the fostering team.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, it may be out of date, "
        "or the page may have been moved or removed.",
    ),
    405: ("Sorry, there is a problem with that request", "Go back and try again."),
    413: (
        "That file is too big",
        "Go back and choose a smaller file. Photos can be taken again at a lower size, and long documents "
        "split into parts.",
    ),
    429: ("Too many requests", "You have tried this too many times in a short time. Wait a few minutes and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Anything you sent when this happened has not been saved, so you may need to send it again.",
    ),
}
CSRF_PAGE = (
    "Your session has timed out",
    "For your security, forms expire when you sign out or when you have been away for a long time. "
    "Go back, refresh the page and try again.",
)

# Shown only if the layout itself cannot be drawn (for example the database is down while loading the menu).
FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    '<body><main><h1>{title}</h1><p>{advice}</p><p><a href="/">Go to your home page</a></p></main></body></html>'
)


def render_error(status: int, title: str, advice: str):
    try:
        return render_template("errors/error.html", status=status, title=title, advice=advice), status
    except Exception:  # the error page must never raise: fall back to plain HTML
        db.session.rollback()
        log.exception("error page could not be rendered", extra={"event": "error_page_failed"})
        return FALLBACK.format(title=escape(title), advice=escape(advice)), status


def _page(status: int):
    title, advice = PAGES.get(status, PAGES[500])
    return render_error(status, title, advice)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return render_error(400, *CSRF_PAGE)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code not in PAGES:
            return exc
        body, status = _page(exc.code)
        # Keep the headers that tell a client what to do next (Allow on 405, Retry-After on 429).
        kept = {k: v for k, v in exc.get_response().headers.items() if k.lower() in {"allow", "retry-after"}}
        return body, status, kept

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        log.error("unhandled error", extra={"event": "error", "error": type(exc).__name__}, exc_info=exc)
        return _page(500)
