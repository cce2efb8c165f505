"""Compressed pages: Brotli or gzip for HTML, JSON, CSV and the service worker (Flask-Compress).

Static files are not compressed here: they are compressed once at build time and served by WhiteNoise
(`portal.core.assets`).
"""

from __future__ import annotations

from flask import Flask, request
from flask.wrappers import Response
from flask_compress import Compress

# What Hearth itself renders. Stored files (photos, PDFs, video) are never compressed again, and are streamed.
COMPRESSED_TYPES = ["text/html", "application/json", "application/manifest+json", "text/javascript", "text/csv"]
# Sec-Fetch-Site values of requests that no other site can have made a browser send.
_OWN_REQUESTS = {"same-origin", "none"}


class _Compress(Compress):
    def after_request(self, response: Response | None) -> Response:
        assert response is not None
        if response.mimetype in self.compress_mimetypes_set:
            response.vary.add("Sec-Fetch-Site")
        if response.status_code == 206 or response.direct_passthrough or not _requested_by_this_site():
            response.vary.add("Accept-Encoding")
            return response
        return super().after_request(response)


def _requested_by_this_site() -> bool:
    # BREACH: a page that holds a secret (the CSRF token) and echoes something an attacker chose can leak the
    # secret through the size of its compressed form, if the attacker's site can make the victim's browser ask
    # for it many times. Requests another site started are therefore answered uncompressed. Browsers have sent
    # Sec-Fetch-Site since 2020-2023; a client without it (curl, a monitoring probe) is no such attack.
    site = request.headers.get("Sec-Fetch-Site")
    return site is None or site in _OWN_REQUESTS


def init_compression(app: Flask) -> None:
    app.config.update(
        COMPRESS_REGISTER=False,
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],
        # Per request, on every page: Brotli 1 costs about a third of Brotli 4 (0.03 against 0.07 ms for a 12 KB
        # page) for about 500 more bytes (3.7 against 3.2 KB), a millisecond at slow-4G speed.
        COMPRESS_BR_LEVEL=1,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=500,
    )
    compress = _Compress()
    compress.init_app(app)
    app.after_request(compress.after_request)
