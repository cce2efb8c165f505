"""Malformed requests end as 404 or 400, never as a database error: bounded ids, no NUL bytes, safe `next=` paths."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# Id columns are INTEGER: 32-bit signed on PostgreSQL (64-bit on SQLite). A larger number in a URL cannot name
# anything, and the database raises ("integer out of range", or the driver's OverflowError) instead of finding
# nothing. Raise this bound with the columns if they ever become BIGINT; it must never exceed 2**63 - 1.
MAX_ID = 2**31 - 1

# C0 controls, DEL and C1 controls: no honest link or form field name carries them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class IdConverter(IntegerConverter):
    """`<int:...>` bounded to 0..MAX_ID: a larger number does not match the route, so it answers 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_or_none(text: object) -> int | None:
    """An id typed into a form or query string: its int when it is 0..MAX_ID written in digits, else None (a larger
    number cannot name a row, and the database would raise rather than find nothing)."""
    text = "" if text is None else str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def coerce_id(value: object) -> int:
    """WTForms `coerce` for ids in choice fields: ValueError (an invalid choice) for anything id_or_none refuses."""
    if isinstance(value, int) and 0 <= value <= MAX_ID:
        return value
    number = id_or_none(value)
    if number is None:
        raise ValueError("not an id")
    return number


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
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _refuse_nul_bytes():
        # PostgreSQL cannot store or compare text holding NUL, so a stray %00 would otherwise reach it and fail.
        values = [request.path, *request.args.keys(), *request.args.values()]
        if request.method != "GET" and request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            values += [*request.form.keys(), *request.form.values()]
        if any("\x00" in v for v in values):
            abort(400)
