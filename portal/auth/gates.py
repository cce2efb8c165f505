"""Route gates: every view declares exactly one of @public, @login_only or @requires_role(...).

A before-request hook refuses any endpoint without a gate (fail closed), and a meta-test lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.auth.roles import Role

GATE_ATTR = "hearth_gate"


def _mark(view: Callable, gate: tuple) -> Callable:
    if hasattr(view, GATE_ATTR):
        raise RuntimeError(f"{view.__name__} already has a gate")
    setattr(view, GATE_ATTR, gate)
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not (sign-in page, accessibility statement, health check)."""
    return _mark(view, ("public",))


def _signed_in_or_redirect():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    if current_user.mfa_required and not current_user.session_mfa_verified:
        # Staff go no further than the MFA prompt (or enrolment) until the second factor is checked.
        if current_user.has_second_factor:
            return redirect(url_for("auth.verify_mfa"))
        return redirect(url_for("auth.set_up_mfa"))
    return None


def login_only(view: Callable) -> Callable:
    """Any signed-in person, whatever their roles (their own account pages, home)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return _signed_in_or_redirect() or view(*args, **kwargs)

    return _mark(wrapper, ("login_only",))


def requires_role(*roles: Role) -> Callable[[Callable], Callable]:
    """Signed in and holding at least one of `roles`; others get 403 (and an audit event)."""
    if not roles:
        raise ValueError("requires_role needs at least one role")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            early = _signed_in_or_redirect()
            if early:
                return early
            if not current_user.has_role(*roles):
                current_app.extensions["hearth_deny"](request.endpoint)
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, ("requires_role", frozenset(roles)))

    return decorator


def gate_of(view: Callable) -> tuple | None:
    return getattr(view, GATE_ATTR, None)


def mfa_pending_only(view: Callable) -> Callable:
    """Signed in with a password but possibly not yet through MFA: only the MFA prompt and enrolment pages."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return _mark(wrapper, ("mfa_pending",))
