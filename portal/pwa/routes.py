"""The installable shell: web app manifest, service worker (at the site root for its scope) and the offline page."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory, url_for

from portal.auth.gates import public

bp = Blueprint("pwa", __name__)


@bp.route("/manifest.webmanifest")
@public
def manifest():
    cfg = current_app.config
    response = jsonify({
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
            {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename="icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/service-worker.js")
@public
def service_worker():
    response = send_from_directory(current_app.static_folder, "js/service-worker.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@public
def offline():
    return render_template("pwa/offline.html")
