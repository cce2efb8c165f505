"""Built front-end assets: their hashed names (static/dist/manifest.json), their URLs, and serving them (WhiteNoise).

Only `static/dist/` (what `static/build.mjs` writes) is published, at `/static/`; the sources beside it
(`static/build.mjs`, `static/css/*.scss`, `static/js/*.js`, `static/icons/make_icons.py`) are not reachable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for
from whitenoise import WhiteNoise

from portal.config import ROOT

DIST = ROOT / "static" / "dist"
STATIC_URL_PATH = "/static"
# build.mjs puts a content hash in every name it writes: 10 hex digits (CSS, icons) or esbuild's 8 (scripts).
HASHED_NAME = re.compile(r"\.(?:[0-9a-f]{10}|[A-Z0-9]{8})\.[a-z0-9]+$")
ONE_YEAR = 365 * 24 * 3600


def load_manifest(dist: Path = DIST) -> dict[str, str]:
    """Logical name ("hearth.css", "icons/favicon.svg") -> hashed file under dist; empty when assets are not built."""
    path = dist / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}


def is_hashed(url: str) -> bool:
    return bool(HASHED_NAME.search(url))


def _static_headers(headers, path: str, url: str) -> None:
    # WhiteNoise answers before Flask, so the headers every Flask response gets are added here.
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"


def init_assets(app: Flask) -> None:
    """Serve static/dist at /static/ through WhiteNoise: Brotli or gzip copies when the browser accepts them (built
    by build.mjs), `Cache-Control: public, max-age=31536000, immutable` for hashed names, a minute for the rest."""
    manifest = load_manifest(Path(app.static_folder or DIST))
    if not manifest and not app.config.get("TESTING"):
        app.logger.warning("static/dist is not built: run `make assets` (pages will have no styles or scripts)")
    app.extensions["hearth_assets"] = manifest
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=app.static_folder,
        prefix=STATIC_URL_PATH + "/",
        max_age=60,
        immutable_file_test=lambda _path, url: is_hashed(url),
        allow_all_origins=False,
        add_headers_function=_static_headers,
    )


def asset_url(name: str) -> str:
    """The URL of a built asset by its logical name, e.g. asset_url("hearth.css") -> "/static/hearth.0a1b2c3d4e.css"."""
    # Every page asks for the same few: each URL is built once per mount point (request.script_root).
    cache: dict[tuple[str, str], str] = current_app.extensions.setdefault("hearth_asset_urls", {})
    key = (request.script_root if has_request_context() else "", name)
    if key not in cache:
        manifest: dict[str, str] = current_app.extensions.get("hearth_assets", {})
        cache[key] = url_for("static", filename=manifest.get(name, name))
    return cache[key]
