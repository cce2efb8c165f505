"""The session cookie's signature checked, and the CSRF token signed, once per process rather than on every request.

Every signed-in page opens the session cookie (an HMAC check and Flask's tagged JSON: about 0.1 ms) and signs the
session's CSRF secret for its sign-out form (another HMAC: about 0.08 ms); together about 5% of the carer's home
page. Both answers depend only on bytes that stay the same from one request to the next (the cookie's value; the
session's raw CSRF secret), so each is kept, per app, in a bounded dict:

- `RememberingCookieSession` is Flask's `SecureCookieSessionInterface` that keeps the contents it found valid for a
  cookie value. Only contents of plain values (strings, numbers, booleans, None) are kept, and each request gets its
  own copy, so a change made to one request's session never reaches another's. The cookie's age is still checked
  against `PERMANENT_SESSION_LIFETIME` on every request, as Flask does.
- `csrf_token()` (the templates' global, in place of Flask-WTF's) gives a request the signed token made earlier
  for its session's raw CSRF secret, through Flask-WTF's own per-request slot (`g.csrf_token`), so a form drawn
  later in the same request uses it too. A form made in the view before any is asked for signs its own, as before.
  Hearth sets `WTF_CSRF_TIME_LIMIT = None` (a token lives as long as its session), so a token signed earlier is
  exactly as valid as a new one: Flask-WTF's `validate_csrf` checks only the signature and the raw secret.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, Request, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

KEPT = 10_000  # entries per dict; when full it is emptied (a few MB at most, refilled by the next requests)
_PLAIN = (str, int, float, bool, type(None))


class RememberingCookieSession(SecureCookieSessionInterface):
    """Flask's signed cookie session; the contents found valid for a cookie value are kept for the next request
    that sends the same value (see the module's docstring). Rejects what Flask rejects: a bad signature or an
    expired timestamp opens an empty session."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, object] = {}
        self._opened: dict[tuple, tuple[dict, datetime]] = {}

    def get_signing_serializer(self, app: Flask):
        # Flask builds a new serializer (and its signers) for every request; the keys decide it, so keep it by them.
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None and app.secret_key:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        key = (app.secret_key, value)
        kept = self._opened.get(key)
        if kept is None:
            try:
                data, signed_at = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
            except BadSignature:
                return self.session_class()
            if not all(isinstance(v, _PLAIN) for v in data.values()):
                return self.session_class(data)  # a flash message list: not kept, so never shared
            if len(self._opened) >= KEPT:
                self._opened.clear()
            kept = self._opened[key] = (data, signed_at)
        data, signed_at = kept
        if (datetime.now(timezone.utc) - signed_at).total_seconds() > max_age:
            return self.session_class()
        return self.session_class(dict(data))


def init_csrf_reuse(app: Flask) -> None:
    """Templates' `csrf_token()` reuses each session's signed CSRF token within this process (see the module's
    docstring). Call after `CSRFProtect.init_app`, whose global it replaces. Only with `WTF_CSRF_TIME_LIMIT = None`:
    a token with a time limit must be signed anew."""
    if app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        app.extensions["hearth_signed_csrf"] = {}
        app.jinja_env.globals["csrf_token"] = csrf_token
        # Flask-WTF also puts its generate_csrf into every template's context, which would hide the global (and
        # costs a dict on every render): its globals (csrf_token, csrf_meta_tag) serve templates without it.
        processors = app.template_context_processors[None]
        processors[:] = [p for p in processors if getattr(p, "__module__", "") != "flask_wtf.csrf"]


def csrf_token() -> str:
    """The request's signed CSRF token, as Flask-WTF's `generate_csrf` makes it: the one this process signed
    earlier for the session's raw secret when there is one, else a new one (kept for the next request)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    signed = current_app.extensions.get("hearth_signed_csrf")
    if signed is None:
        return generate_csrf()
    raw = session.get(field)
    if field not in g and isinstance(raw, str) and (token := signed.get(raw)) is not None:
        setattr(g, field, token)  # where generate_csrf looks first: forms drawn later in the request use it too
        return token
    token = generate_csrf()
    raw = session.get(field)  # made by generate_csrf for a session that had none
    if isinstance(raw, str) and signed.get(raw) != token:
        if len(signed) >= KEPT:
            signed.clear()
        signed[raw] = token
    return token
