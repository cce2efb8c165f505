"""Jinja setup: GOV.UK Frontend macros, filters for money and UK dates/times, asset URLs."""

from __future__ import annotations

from collections import ChainMap
from datetime import date, datetime
from pathlib import Path

from flask import Flask, has_request_context, request
from flask.templating import Environment
from jinja2 import BytecodeCache, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from jinja2.bccache import Bucket

from portal.core.assets import asset_url
from portal.core.clock import LONDON
from portal.core.money import format_pounds
from portal.core.security import csp_nonce


def uk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def age_on(born: date, today: date | None = None) -> int:
    today = today or datetime.now(LONDON).date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class _TemplateGlobals(ChainMap):
    """A template's globals: its own, then the environment's. Jinja subtracts their keys from the importing
    template's on every `{% from ... import ... %}` (jinja2.Template._get_default_module); a ChainMap's keys answer
    that in Python, a name at a time across both maps (about 20 µs an import, several imports a page), a dict's in C."""

    def keys(self):
        merged: dict = {}
        for layer in reversed(self.maps):
            merged.update(layer)
        return merged.keys()


class HearthEnvironment(Environment):
    """Flask's Jinja environment with globals whose keys are cheap to compare (see _TemplateGlobals), and loaded
    templates kept in a plain dict: Jinja's default cache is an LRU of 400 whose every look-up takes a lock and
    moves its key along a deque (a page looks up a template for each include and import, about 16), and Hearth's
    few hundred templates never need evicting ("cache_size: -1", Jinja's API docs)."""

    def __init__(self, *args, **options) -> None:
        options.setdefault("cache_size", -1)
        super().__init__(*args, **options)

    def make_globals(self, d):
        return _TemplateGlobals(d or {}, self.globals)


class _ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for every app made in this process. Jinja checks each entry against its
    template's source (a checksum), so an edited template is compiled again. One app a process compiles each
    template once whatever this holds; a process that makes many apps (the test suite makes one a test, about
    20 ms of compiling for each template a page uses) compiles each once in all."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _ProcessBytecodeCache()


def init_templating(app: Flask, templates_dir: Path) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(templates_dir)),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES  # every app compiles with these same settings
    app.jinja_env.filters.update(pounds=format_pounds, uk_date=uk_date, uk_datetime=uk_datetime, age=age_on)
    # Globals, not a context processor: the same for every page, so not a dict built on every render.
    app.jinja_env.globals.update(
        asset_url=asset_url,  # also for macros imported without context (components/forms.html)
        csp_nonce=csp_nonce,
        council_name=app.config["COUNCIL_NAME"],
        service_name=app.config["SERVICE_NAME"],
        theme_colour=app.config["THEME_COLOUR"],
        url_for=_remembering_url_for(app),
    )


def _remembering_url_for(app: Flask):
    """Flask's url_for, remembering the links that take no values (menus, buttons, footers: about twenty on every
    page), which change only with the prefix the app is mounted under. Building a URL costs more than most of what a
    page shows; links with values, relative endpoints (".name") and links built outside a request are built anew."""
    build = app.url_for
    remembered: dict[tuple[str, str], str] = {}

    def url_for(endpoint: str, **values) -> str:
        if values or endpoint.startswith(".") or not has_request_context():
            return build(endpoint, **values)
        key = (request.script_root, endpoint)
        url = remembered.get(key)
        if url is None:
            url = remembered[key] = build(endpoint)
        return url

    return url_for
