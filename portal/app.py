"""create_app(): the one place that wires configuration, extensions, blueprints and commands."""

from __future__ import annotations

import importlib
import os

from flask import Flask, abort, current_app, request, session
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import ROOT, Config
from portal.core import audit, refusals
from portal.core.assets import DIST, STATIC_URL_PATH, init_assets
from portal.core.compression import init_compression
from portal.core.db import db
from portal.core.inputs import init_input_guards
from portal.core.jobs import init_jobs
from portal.core.logs import init_logging
from portal.core.refusals import init_refusal_audit
from portal.core.scanning import scanner_from_config
from portal.core.security import init_security_headers
from portal.core.signing_cache import RememberingCookieSession, init_csrf_reuse
from portal.core.storage import storage_from_config
from portal.core.templating import HearthEnvironment, init_templating
from portal.core.throttle import counter_from_config

csrf = CSRFProtect()
login_manager = LoginManager()

BLUEPRINTS = (
    "portal.auth.routes",
    "portal.account.routes",
    "portal.admin.routes",
    "portal.people.routes",
    "portal.records.routes",
    "portal.memories.routes",
    "portal.training.routes",
    "portal.mentoring.routes",
    "portal.claims.routes",
    "portal.payments.routes",
    "portal.groups.routes",
    "portal.inbox.routes",
    "portal.hub.routes",
    "portal.pwa.routes",
    "portal.ops.routes",
    "portal.errors",
)
# Features offering parts of pages other features compose (the hub's payment policy tables), registered here so the
# composing feature never imports them.
PROVIDERS = (
    "portal.payments.hub_sections",
    "portal.claims.hub_sections",
)

# Each feature's sources for the home page's "what needs you" list (portal.hub.needs); they register on import.
NEED_SOURCES = (
    "portal.hub.notice_needs",
    "portal.records.needs",
    "portal.memories.needs",
    "portal.claims.needs",
    "portal.payments.needs",
    "portal.admin.needs",
)


def create_app(config: Config | dict | None = None) -> Flask:
    if isinstance(config, dict):
        cfg = Config.from_env({**os.environ, **{k: str(v) for k, v in config.items()}})
    else:
        cfg = config or Config.from_env()
    cfg.finalise()

    # Only the built assets are published; the sources in static/ are not (portal.core.assets).
    app = Flask(__name__, static_folder=str(DIST), static_url_path=STATIC_URL_PATH)
    app.jinja_environment = HearthEnvironment  # before app.jinja_env is first built
    app.session_interface = RememberingCookieSession()
    app.config.update(cfg.as_flask())
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="hearth_session",
        # The largest single upload plus room for the form; larger bodies get the friendly 413 page.
        MAX_CONTENT_LENGTH=(cfg.UPLOAD_MAX_VIDEO_MB + 5) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead: a carer's half-typed log must not expire
        TESTING=cfg.HEARTH_ENV == "test" or cfg.TESTING,
    )
    if cfg.is_production:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    init_compression(app)  # registered first, so it runs after every other after_request handler
    init_input_guards(app)  # before any route is added: ids in URLs are bounded to what the columns hold
    init_logging(app)
    db.init_app(app)
    csrf.init_app(app)
    init_jobs(app)
    app.extensions["hearth_storage"] = storage_from_config(app.config)
    app.extensions["hearth_scanner"] = scanner_from_config(app.config)
    app.extensions["hearth_upload_counter"] = counter_from_config(app.config)
    if not cfg.CLAMD_ADDRESS and not app.config["TESTING"]:
        app.logger.warning("CLAMD_ADDRESS is not set: uploads are NOT scanned for viruses (demo only)")
    if not cfg.office_program and not app.config["TESTING"]:
        app.logger.warning(
            "LibreOffice (soffice) was not found: Word and OpenDocument uploads are refused; PDFs and photos are "
            "accepted (install libreoffice-writer-nogui, or set LIBREOFFICE_PATH)"
        )
    init_assets(app)
    init_templating(app, ROOT / "templates")
    init_csrf_reuse(app)
    init_security_headers(app)
    _init_login(app)
    _init_gate_enforcement(app)

    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        module.register(app) if hasattr(module, "register") else app.register_blueprint(module.bp)
    for name in PROVIDERS:
        importlib.import_module(name).register()

    _wire_needs()
    for name in NEED_SOURCES:
        importlib.import_module(name)

    from portal.cli import register_cli

    register_cli(app)
    return app


_NEEDS_WIRED: list[bool] = []


def _wire_needs() -> None:
    """Register each feature's "what needs me" sources once per process (the registry is module-level)."""
    if _NEEDS_WIRED:
        return
    from portal.auth.roles import Role
    from portal.hub.needs import Need, NeedRows, register_need_rows, register_need_source
    from portal.mentoring import needs as mentoring_needs

    def as_needs(source):
        return lambda user, on: [Need(**item) for item in source(user, on)]

    def as_need(to_item):
        return lambda row: Need(**item) if (item := to_item(row)) is not None else None

    people = frozenset((Role.MENTOR, Role.APPLICANT, Role.CARER))
    for name, statement, to_item in mentoring_needs.PERSON_ROW_SOURCES:
        register_need_rows(NeedRows(name, people, statement, as_need(to_item)))
    register_need_source((Role.MENTORING_COORDINATOR,), as_needs(mentoring_needs.coordinator_needs))
    _NEEDS_WIRED.append(True)


def _init_login(app: Flask) -> None:
    from datetime import timedelta

    from portal.auth.sessions import live_session

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=app.config["SESSION_MAX_HOURS"])

    @login_manager.user_loader
    def _load(user_id: str):
        found = live_session(db.session, session.get("sid"), user_id, idle, lifetime)
        if found is None:
            session.clear()  # revoked, expired or disabled: signed out on this very request
            return None
        user, rec = found
        user.session_record = rec
        return user


def _init_gate_enforcement(app: Flask) -> None:
    from portal.auth.gates import enforce_second_factor, gate_of

    def deny(endpoint: str | None) -> None:
        # Written when the request ends, with any other refusal it holds (portal.core.refusals).
        refusals.deny_role(current_user.get_id() and int(current_user.get_id()), endpoint)

    init_refusal_audit(app)
    app.extensions["hearth_deny"] = deny

    @app.before_request
    def _require_gate():
        audit.client_ip.set(request.remote_addr)
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = current_app.view_functions.get(request.endpoint)
        if view is None or gate_of(view) is None:
            abort(403)  # fail closed: a route without an access rule is never served
        return enforce_second_factor(view)
