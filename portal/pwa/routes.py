"""The installable shell: web app manifest, service worker (at the site root for its scope) and the offline page."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from portal.auth.gates import public
from portal.config import ROOT
from portal.core.assets import asset_url

bp = Blueprint("pwa", __name__)


@bp.route("/manifest.webmanifest")
@public
def manifest():
    cfg = current_app.config
    response = jsonify(
        {
            "name": f"{cfg['SERVICE_NAME']} – {cfg['COUNCIL_NAME']}",
            "short_name": cfg["SERVICE_NAME"],
            "description": "Your fostering portal: logs, claims, memory boxes, training and payments.",
            "start_url": url_for("hub.home") + "?source=pwa",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": cfg["THEME_COLOUR"],
            "lang": "en-GB",
            "icons": [
                {
                    "src": asset_url("icons/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": asset_url("icons/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": asset_url("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            # A long press on the installed icon: the two things carers do most, straight to the form.
            "shortcuts": [
                _shortcut("New log entry", "Write a daily log entry", url_for("records.write_log_entry")),
                _shortcut("New claim", "Claim mileage or an expense", url_for("claims.choose_claim_kind")),
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _shortcut(name: str, description: str, url: str) -> dict:
    icon = {"src": asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}
    return {"name": name, "short_name": name, "description": description, "url": url + "?source=pwa", "icons": [icon]}


SHELL_ICONS = ("icons/favicon.svg", "icons/icon-192.png")
SERVICE_WORKER = ROOT / "static" / "js" / "service-worker.js"
# The worker as served, in order: the outbox's sender (shared with the pages, so Background Sync sends exactly as a
# page would); the hub's offline pages (their fetch listener must be registered before the shell's); the shell; the
# push and notification-click handlers.
SERVICE_WORKER_PARTS = (
    ROOT / "static" / "js" / "outbox.js",
    ROOT / "static" / "js" / "service-worker-hub.js",
    SERVICE_WORKER,
    ROOT / "static" / "js" / "service-worker-push.js",
)


def shell() -> dict:
    """What the service worker keeps: the built stylesheets and scripts of this release, two icons and the offline
    page (the large install icons are left to the browser)."""
    built: dict[str, str] = current_app.extensions.get("hearth_assets", {})
    names = sorted(name for name in built if name.endswith((".css", ".js"))) + list(SHELL_ICONS)
    assets = [asset_url(name) for name in names]
    offline_page = url_for("pwa.offline")
    version = hashlib.sha256(json.dumps([assets, offline_page]).encode()).hexdigest()[:12]
    return {"version": version, "assets": assets, "offline": offline_page}


@bp.route("/service-worker.js")
@public
def service_worker():
    # The asset list is written into the worker itself, so a new build changes its bytes and it updates.
    code = "\n".join(part.read_text() for part in SERVICE_WORKER_PARTS)
    body = f"self.HEARTH_SHELL = {json.dumps(shell())};\n{code}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("pwa/offline.html")


@bp.route("/outbox/session")
@public
def outbox_session():
    """What the offline outbox needs before it sends: whether this browser is signed in (through any second factor),
    as whom (the outbox is per person), and a form token for this session. Never cached."""
    if not current_user.is_authenticated or current_user.second_factor_owed:
        body = {"signed_in": False}
    else:
        body = {"signed_in": True, "user": current_user.get_id(), "csrf_token": generate_csrf()}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app) -> None:
    from portal.core.push import push_enabled, vapid_public_key
    from portal.pwa import push_routes  # noqa: F401  (adds its routes to bp)

    app.jinja_env.globals["push_enabled"] = push_enabled
    app.jinja_env.globals["push_public_key"] = vapid_public_key
    app.register_blueprint(bp)
