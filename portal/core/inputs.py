"""Malformed requests end as 404 or 400, never as a database error: bounded ids, no NUL bytes, safe `next=` paths."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# Every id column is at most a 64-bit signed integer (PostgreSQL BIGINT, SQLite INTEGER); a larger number in a URL
# cannot name anything, and the drivers raise instead of finding nothing.
MAX_ID = 2**63 - 1

# C0 controls, DEL and C1 controls: no honest link or form field name carries them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Int64Converter(IntegerConverter):
    """`<int:...>` bounded to 0..2**63-1: anything longer does not match the route, so it answers 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def local_path_or_none(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/logs?page=2"), else None (another site, `//host`, `/\\host`).

    Raises werkzeug's BadRequest (400) if it holds control characters: such a link was made by hand or by an attacker.
    """
    if not target:
        return None
    if has_control_characters(target):
        abort(400)
    if not target.startswith("/") or target.startswith("//") or "\\" in target or urlsplit(target).netloc:
        return None
    return target


def init_input_guards(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converters when they are added."""
    app.url_map.converters["int"] = Int64Converter

    @app.before_request
    def _refuse_nul_bytes():
        # PostgreSQL cannot store or compare text holding NUL, so a stray %00 would otherwise reach it and fail.
        values = [request.path, *request.args.keys(), *request.args.values()]
        if request.method != "GET" and request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            values += [*request.form.keys(), *request.form.values()]
        if any("\x00" in v for v in values):
            abort(400)
