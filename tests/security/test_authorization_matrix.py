"""Every route × every role × {own, other, missing}: the gate, the object policy and scoping, in one table.

The same rows guard that a GET never changes state: after every role has asked a GET row for its own, another
household's and a missing object, the database (less the audit trail and session touches) is as it was before.

One app, one world and one signed-in client per role are shared by the rows (signing twelve people in for every row
was most of the cost). When the rows before it changed the database or had a different feature set-up, a row starts
again from the world as it was just after everyone signed in (its rows put back and each client's cookies), so every
row still sees the world it was written for.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from portal.app import create_app
from portal.auth.roles import Role
from portal.core.db import db
from tests.conftest import _empty_tables, base_app_config
from tests.db_fingerprint import changed_tables, table_fingerprints
from tests.db_snapshot import Snapshot
from tests.jobs import drain_jobs
from tests.pages import PageClient
from tests.security.matrix import PUBLIC, Case, World, build_world

IGNORED_ENDPOINTS = {"static"}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    package = importlib.import_module("tests.security")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("matrix_"):
            cases.extend(importlib.import_module(f"tests.security.{info.name}").CASES)
    return cases


CASES = all_cases()


class SharedWorld:
    """The app, the world and a client per role (None: signed out), kept from one row to the next while nothing changes."""

    def __init__(self, database_url: str, var_dir) -> None:
        self._config = base_app_config(database_url, var_dir)
        self._context = None
        self.app = None
        self.world: World | None = None
        self.clients: dict[Role | None, PageClient] = {}
        self._tokens: dict[Role | None, str] = {}
        self._setup = None  # the feature set-up applied to this world, if any
        self._fingerprint: dict[str, str] | None = None
        self._fresh = True  # nothing has happened in this world yet
        self._dirty = True  # a fresh world is needed before the next row
        self._snapshot: Snapshot | None = None  # the world just after everyone signed in
        self.worlds_built = 0

    def close(self) -> None:
        self._snapshot = None
        if self._context is not None:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()
            self._context.pop()
            self._context = None

    def _start_over(self) -> None:
        self.close()
        self.app = create_app(self._config)
        self.app.test_client_class = PageClient
        self._context = self.app.app_context()
        self._context.push()
        self.world = build_world()
        self.clients = {None: self.app.test_client()}
        for role in Role:
            self.clients[role] = self.app.test_client()
            self.clients[role].sign_in(self.world.users[role])
        self._tokens = {role: _csrf(client) for role, client in self.clients.items()}  # in the cookies kept below
        self._setup = None
        self._fingerprint = None
        self._snapshot = Snapshot.take(self.clients)
        self.worlds_built += 1

    def _come_back(self) -> None:
        """The world as `_start_over` left it (feature set-ups gone), without building it or signing anyone in."""
        self._snapshot.restore(self.clients)
        self.world.extra.clear()
        self._setup = None
        self._fingerprint = None

    def world_for(self, case: Case) -> World:
        """The world as `case` expects it: fresh if the rows before changed it, with the row's set-up applied."""
        if self._dirty or (case.setup is not None and self._setup not in (None, case.setup)):
            self._come_back() if self._snapshot is not None else self._start_over()
        if case.setup is not None and self._setup is None:
            case.setup(self.world)
            drain_jobs(self.app)  # a worker finishes what the set-up queued before the row is measured
            self._setup = case.setup
            self._fingerprint = None
        if self._fingerprint is None:
            self._fingerprint = table_fingerprints()
        self._dirty = True  # until finish() finds the row changed nothing (a failing row leaves it dirty)
        return self.world

    def finish(self) -> list[str]:
        """The tables the row changed; any change means the next row gets a fresh world."""
        after = table_fingerprints()
        changed = changed_tables(self._fingerprint, after)
        self._fingerprint = after
        self._dirty = bool(changed)
        return changed

    def csrf(self, role: Role | None) -> str:
        # Flask-WTF keeps one token per session: fetched once per client, good until the world is rebuilt.
        if role not in self._tokens:
            self._tokens[role] = _csrf(self.clients[role])
        return self._tokens[role]


@pytest.fixture(scope="module")
def shared(database_url, tmp_path_factory):
    world = SharedWorld(database_url, tmp_path_factory.mktemp("matrix") / "var")
    yield world
    world.close()


def test_every_route_is_in_the_matrix(shared):
    shared.world_for(Case("hub.home", lambda w, _: "/", PUBLIC))
    app = shared.app
    declared = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in declared:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes missing from the authorization matrix:\n" + "\n".join(sorted(missing))


def _csrf(client: PageClient) -> str:
    html = client.get("/sign-in", follow_redirects=True).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    return found.group(1) if found else ""


def _request(shared: SharedWorld, role: Role | None, case: Case, world, which: str):
    url = case.url(world, which)
    client = shared.clients[role]
    if case.method == "GET":
        return client.get(url)
    data = case.data(world) if callable(case.data) else dict(case.data)
    data["csrf_token"] = shared.csrf(role)
    return client.post(url, data=data)


def _expected(case: Case, role: Role | None, which: str) -> str:
    if case.allowed == PUBLIC:
        return "ok"
    if role is None:
        return "sign_in"
    if not case.allows(role):
        return "forbidden"
    if not case.has_object:
        return "ok"
    if which == "missing":
        return "not_found"
    if role in case.own_hidden_from:
        return "not_found"
    if which == "other" and role not in case.sees_other:
        return "not_found"
    return "ok"


def _outcome(case: Case, response) -> str:
    if response.status_code == 302 and "/sign-in" in response.location and "/sign-in" not in case.endpoint:
        return "sign_in"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "not_found"
    if response.status_code in case.ok_statuses or (
        case.method == "POST" and response.status_code in (200, 400, 409, 422)
    ):
        return "ok"
    return f"status {response.status_code}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.endpoint}")
def test_route_answers_each_role_as_the_policy_says(shared, case: Case):
    world = shared.world_for(case)
    variants = ("own", "other", "missing") if case.has_object else ("own",)
    problems = []
    for role in (None, *Role):
        for which in variants:
            got = _outcome(case, _request(shared, role, case, world, which))
            want = _expected(case, role, which)
            if got != want:
                problems.append(f"{role.value if role else 'anonymous'} / {which}: expected {want}, got {got}")
    changed = shared.finish()
    assert not problems, f"{case.method} {case.endpoint}:\n" + "\n".join(problems)
    # A GET never changes state: reading a page (or being refused it) writes nothing but the audit trail.
    assert case.method != "GET" or not changed, f"GET {case.endpoint} changed the database: {', '.join(changed)}"
