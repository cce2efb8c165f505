"""Every route × every role × {own, other, missing}: the gate, the object policy and scoping, in one table."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from portal.auth.roles import Role
from tests.pages import PageClient
from tests.security.matrix import PUBLIC, Case, build_world

IGNORED_ENDPOINTS = {"static"}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    package = importlib.import_module("tests.security")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("matrix_"):
            cases.extend(importlib.import_module(f"tests.security.{info.name}").CASES)
    return cases


CASES = all_cases()


def test_every_route_is_in_the_matrix(app):
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


def _request(client: PageClient, case: Case, world, which: str):
    url = case.url(world, which)
    if case.method == "GET":
        return client.get(url)
    data = case.data(world) if callable(case.data) else dict(case.data)
    data["csrf_token"] = _csrf(client)
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
def test_route_answers_each_role_as_the_policy_says(app, case: Case):
    world = build_world()
    if case.setup:
        case.setup(world)
    variants = ("own", "other", "missing") if case.has_object else ("own",)
    problems = []
    for role in (None, *Role):
        client = app.test_client()
        if role is not None:
            client.sign_in(world.users[role])
        for which in variants:
            got = _outcome(case, _request(client, case, world, which))
            want = _expected(case, role, which)
            if got != want:
                problems.append(f"{role.value if role else 'anonymous'} / {which}: expected {want}, got {got}")
    assert not problems, f"{case.method} {case.endpoint}:\n" + "\n".join(problems)
