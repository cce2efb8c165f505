"""The session cookie checked and the CSRF token signed once per process (portal.core.signing_cache): what is kept
never lets through what Flask and Flask-WTF would refuse, and never carries one request's changes into another."""

from __future__ import annotations

import re
from datetime import timedelta

import flask_wtf.csrf
from flask import request, session

from portal.core.signing_cache import RememberingCookieSession
from tests.factories import make_family

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _cookie(client) -> str:
    return client.get_cookie("hearth_session").value


def test_a_signed_in_page_is_served_from_the_kept_cookie_and_a_tampered_one_is_refused(client):
    family = make_family()
    client.sign_in(family.carer)
    value = _cookie(client)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # the second visit finds the cookie's contents kept
    payload, signature = value.rsplit(".", 1)
    client.set_cookie("hearth_session", f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}")
    assert client.get("/").status_code == 302  # an empty session: back to signing in
    client.set_cookie("hearth_session", value)
    assert client.get("/").status_code == 200


def test_a_change_to_one_requests_session_does_not_reach_the_next_with_the_same_cookie(app):
    interface = app.session_interface
    assert isinstance(interface, RememberingCookieSession)
    with app.test_request_context("/"):
        session["sid"], session["_user_id"] = "abc", "7"
        value = interface.get_signing_serializer(app).dumps(dict(session))
    with app.test_request_context("/", headers={"Cookie": f"hearth_session={value}"}):
        first = interface.open_session(app, request)
        first["_user_id"] = "8"
        first.pop("sid")
    with app.test_request_context("/", headers={"Cookie": f"hearth_session={value}"}):
        second = interface.open_session(app, request)
    assert dict(second) == {"sid": "abc", "_user_id": "7"}


def test_a_kept_cookie_older_than_the_session_lifetime_is_refused(app):
    interface = app.session_interface
    with app.test_request_context("/"):
        value = interface.get_signing_serializer(app).dumps({"sid": "abc", "_user_id": "7"})
    with app.test_request_context("/", headers={"Cookie": f"hearth_session={value}"}):
        assert dict(interface.open_session(app, request)) == {"sid": "abc", "_user_id": "7"}  # now kept
    lifetime = app.permanent_session_lifetime
    app.permanent_session_lifetime = timedelta(seconds=-1)
    try:
        with app.test_request_context("/", headers={"Cookie": f"hearth_session={value}"}):
            assert dict(interface.open_session(app, request)) == {}
    finally:
        app.permanent_session_lifetime = lifetime


def test_the_reused_csrf_token_is_the_sessions_own_and_is_accepted(client, monkeypatch):
    family = make_family()
    client.sign_in(family.carer)
    first = TOKEN.search(client.get("/").text).group(1)

    class NoSigning:
        def __init__(self, *_args, **_kwargs):
            raise AssertionError("the token was signed again")

    monkeypatch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", NoSigning)
    second = TOKEN.search(client.get("/").text).group(1)
    assert first == second  # signed once, kept for the session's raw secret
    monkeypatch.undo()
    other = client.application.test_client()
    other_token = TOKEN.search(other.get("/sign-in").text).group(1)
    assert other_token != first
    answer = client.post("/sign-out", data={"csrf_token": first})
    assert answer.status_code == 302
    assert client.get("/").status_code == 302  # signed out: the kept token did its job
