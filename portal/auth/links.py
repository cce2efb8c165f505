"""Absolute links for emails, built from BASE_URL so that they never depend on the request that caused them."""

from __future__ import annotations

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    # Built from the URL map, not url_for: jobs and the CLI have no request to take a host from.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
