"""The installable shell: web app manifest, service worker (at the site root for its scope) and the offline page."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for

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
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


SHELL_ICONS = ("icons/favicon.svg", "icons/icon-192.png")
SERVICE_WORKER = ROOT / "static" / "js" / "service-worker.js"
# Served in front of the shell's worker: the hub's offline pages (its fetch listener must be registered first).
SERVICE_WORKER_PARTS = (ROOT / "static" / "js" / "service-worker-hub.js", SERVICE_WORKER)


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
