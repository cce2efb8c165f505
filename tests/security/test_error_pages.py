"""Error pages: in the service's layout, one heading, a helpful way forward, and never a stack trace."""

from __future__ import annotations

import pytest
from flask import abort, request

from portal.auth.gates import public

SECRET_DETAIL = "database password is hunter2"


@pytest.fixture
def app(app):
    # Routes that fail on purpose, added before the first request as Flask requires.
    def fail_with(status):
        def view():
            abort(status)

        return view

    for status in (400, 403, 413, 429):
        app.add_url_rule(f"/test-fails/{status}", f"fails_{status}", public(fail_with(status)))

    def explode():
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/test-fails/500", "fails_500", public(explode))

    @app.context_processor
    def _broken_layout():
        # Stands for the layout itself failing (say the database is down while the menu is built).
        if request.path == "/offline" and request.args.get("break") == "layout":
            raise RuntimeError(SECRET_DETAIL)
        return {}

    return app


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "Sorry, there is a problem with that request"),
        (403, "You do not have permission to see this page"),
        (413, "That file is too big"),
        (429, "Too many requests"),
        (500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_explain_what_happened_in_the_layout(client, status, heading):
    response = client.get(f"/test-fails/{status}")
    assert response.status_code == status
    assert response.page.h1_count == 1
    assert heading in response.text
    assert "govuk-footer" in response.text  # the full layout, not a bare page
    assert 'href="/help"' in response.text


def test_unexpected_error_shows_no_stack_trace_or_detail(client):
    response = client.get("/test-fails/500")
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert SECRET_DETAIL not in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_missing_page_is_a_404_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert response.page.h1_count == 1


def test_form_sent_without_its_security_token_explains_the_timeout(client):
    response = client.post("/sign-in", data={"email": "someone@example.org", "password": "whatever"})
    assert response.status_code == 400
    assert "Your session has timed out" in response.text
    assert response.page.h1_count == 1


def test_too_large_upload_gets_the_file_too_big_page(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sign-in", data={"email": "x" * 4096})
    assert response.status_code == 413
    assert "That file is too big" in response.text


def test_wrong_method_keeps_the_allow_header(client):
    response = client.delete("/offline")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_when_even_the_layout_fails_a_plain_error_page_is_shown(client):
    response = client.get("/offline?break=layout")
    assert response.status_code == 500
    assert response.page.h1_count == 1
    assert "Sorry, there is a problem with the service" in response.text
    assert SECRET_DETAIL not in response.text and "Traceback" not in response.text
