"""The installable shell: web app manifest, service worker (at the site root for its scope) and the offline page."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for

from portal.auth.gates import public

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
                    "src": url_for("static", filename="icons/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": url_for("static", filename="icons/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": url_for("static", filename="icons/icon-maskable-512.png"),
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


def shell() -> dict:
    """What the service worker keeps: the built assets of this release, two icons and the offline page."""
    static = Path(current_app.static_folder or "")
    manifest_path = static / "dist" / "manifest.json"
    built = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    assets = [url_for("static", filename="dist/" + name) for name in sorted(built.values())]
    assets += [url_for("static", filename=name) for name in SHELL_ICONS]
    offline_page = url_for("pwa.offline")
    version = hashlib.sha256(json.dumps([assets, offline_page]).encode()).hexdigest()[:12]
    return {"version": version, "assets": assets, "offline": offline_page}


@bp.route("/service-worker.js")
@public
def service_worker():
    # The asset list is written into the worker itself, so a new build changes its bytes and it updates.
    code = (Path(current_app.static_folder or "") / "js" / "service-worker.js").read_text()
    body = f"self.HEARTH_SHELL = {json.dumps(shell())};\n{code}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("pwa/offline.html")
