"""The auth blueprint: sign-in and MFA (sign_in.py), passkeys (passkeys.py), emailed links (links.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth.routes import links, passkeys, sign_in  # noqa: E402,F401  (views register on bp)


def register(app) -> None:
    from portal.core.throttle import SecondFactorThrottle, SignInThrottle, counter_from_config

    app.extensions["hearth_throttle"] = SignInThrottle(counter_from_config(app.config))
    app.extensions["hearth_mfa_throttle"] = SecondFactorThrottle(counter_from_config(app.config))
    app.register_blueprint(bp)
