"""Domain code (services, jobs, models, exports, ledgers...) runs in workers and commands as well as in requests, so it
never builds links with `url_for` nor reads the request: links come from portal.core.links (BASE_URL).

Every module of a feature or of core is domain code, except the routes packages and the few modules whose job is
the web request itself (listed below). A new module is checked unless it is added to that list.
"""

from __future__ import annotations

import ast
from pathlib import Path

from portal.config import ROOT

PORTAL = ROOT / "portal"
# Modules that serve the request itself: gates and navigation of a page, the header's and menu's counts, forms,
# assets, headers, the session cookie and CSRF token, request logging, malformed-input guards, the refusals a
# request's gate records, and the answer to a stored form (outbox).
REQUEST_FACING = {
    "gates",
    "navigation",
    "badges",
    "signing_cache",
    "forms",
    "assets",
    "security",
    "logs",
    "compression",
    "templating",
    "inputs",
    "refusals",
    "outbox",
}
REQUEST_STATE = {"request", "session", "g", "current_user", "url_for"}
FLASK_MODULES = {"flask", "flask_login", "flask.globals", "flask.helpers"}


def is_domain_module(path: Path) -> bool:
    rel = path.relative_to(PORTAL)
    if len(rel.parts) < 2:  # top-level wiring: app, cli, errors, demo, models...
        return False
    is_routes = "routes" in rel.parts[:-1] or rel.stem == "routes" or rel.stem.endswith("_routes")
    return not is_routes and rel.stem not in REQUEST_FACING


def request_uses(source: str) -> list[str]:
    """Lines importing or reaching url_for / request / session / g / current_user from Flask."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in FLASK_MODULES:
            names = {alias.name for alias in node.names} & REQUEST_STATE
            if names:
                found.append(f"{node.lineno} imports {sorted(names)}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in REQUEST_STATE
            and isinstance(node.value, ast.Name)
            and node.value.id in {"flask", "flask_login"}
        ):
            found.append(f"{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_domain_modules_never_use_url_for_or_the_request():
    checked, bad = [], []
    for path in sorted(PORTAL.rglob("*.py")):
        if not is_domain_module(path):
            continue
        checked.append(path.relative_to(PORTAL).as_posix())
        bad += [f"{path.relative_to(ROOT)}:{use}" for use in request_uses(path.read_text())]
    assert {"core/jobs.py", "core/notify.py", "memories/jobs.py", "records/services.py", "auth/models.py"} <= set(
        checked
    )
    assert not bad, "build links with portal.core.links.url_to / path_to and pass the actor in:\n" + "\n".join(bad)


def test_the_check_sees_every_way_of_reaching_the_request():
    source = """
import flask
from flask import current_app, url_for
def f():
    from flask import request, g
    return flask.session
"""
    assert request_uses(source) == ["3 imports ['url_for']", "5 imports ['g', 'request']", "6 uses flask.session"]
    assert request_uses("from flask import current_app, render_template\n") == []


def test_routes_and_request_facing_modules_are_not_domain_code():
    assert not is_domain_module(PORTAL / "records" / "routes" / "logs.py")
    assert not is_domain_module(PORTAL / "auth" / "gates.py")
    assert not is_domain_module(PORTAL / "app.py")
    assert is_domain_module(PORTAL / "payments" / "ledger.py")
