"""How a route answers a form it has stored: a redirect for a browser, an explicit "stored" for the offline outbox.

The outbox (static/js/outbox.js) marks its requests with `X-Hearth-Outbox: 1` and sends them with `redirect:
"manual"`, so a redirect (to sign-in, after a session ran out) never looks like success. Only this answer does: 200,
`X-Hearth-Stored: <path>` and `{"stored": "<path>"}`. Flash messages meant for the next page are dropped for it:
the outbox says what it sent.
"""

from __future__ import annotations

from flask import jsonify, redirect, request, session
from werkzeug.wrappers import Response

OUTBOX_HEADER = "X-Hearth-Outbox"
STORED_HEADER = "X-Hearth-Stored"


def from_outbox() -> bool:
    return request.headers.get(OUTBOX_HEADER) == "1"


def answer_stored(url: str) -> Response:
    """A redirect to `url` (a path inside Hearth), or the outbox's explicit success for the same path."""
    if not from_outbox():
        return redirect(url)
    session.pop("_flashes", None)
    response = jsonify(stored=url)
    response.headers[STORED_HEADER] = url
    response.headers["Cache-Control"] = "no-store"
    return response
