"""Every GET page of every role makes the same number of SQL queries at 1× and 10× data, within its budget.

The pages are the authorization matrix's GET rows (tests/security/matrix_*.py), so a new feature's pages are
measured as soon as they are in the matrix. Rows are grouped by their feature set-up; each group gets a fresh world,
then bench.generate's data at 1× anchored to the world's household A, child A, SSW and child's social worker (their
lists are the ones that grow), and every page is counted; then 9× more data, and every page is counted again.
A budget is declared beside the route with `@query_budget(n)` (portal/core/query_budget.py).
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest
from flask import has_request_context
from sqlalchemy import event

from bench.generate import Anchors, generate
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.query_budget import budget_of
from tests.security.matrix import Case
from tests.security.test_authorization_matrix import CASES, SharedWorld

pytestmark = pytest.mark.long  # each group builds a world and its data twice: run first (tests/conftest.py)
GET_CASES = [c for c in CASES if c.method == "GET"]


class QueryCounter:
    """Counts statements sent to the database while a request is being handled (not the worker's jobs)."""

    def __init__(self, engine) -> None:
        self.count = 0
        self.statements: list[str] = []
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        # The session record's "last seen" is touched every few minutes (portal.auth.sessions), whenever a request
        # falls due: a matter of the clock, not of the page or the data.
        if has_request_context() and not statement.startswith("UPDATE user_sessions"):
            self.count += 1
            self.statements.append(statement)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def _groups() -> list[list[Case]]:
    by_setup: dict[object, list[Case]] = defaultdict(list)
    for case in GET_CASES:
        by_setup[case.setup].append(case)
    return list(by_setup.values())


def _anchors(world) -> Anchors:
    return Anchors(
        household_id=world.household_a.id,
        child_id=world.child_a.id,
        carer_id=world.users[Role.CARER].id,
        ssw_id=world.users[Role.SSW].id,
        child_sw_id=world.users[Role.CHILD_SW].id,
    )


def _viewers(case: Case) -> list[Role]:
    return [r for r in Role if case.allows(r) and r not in case.own_hidden_from]


def _count(shared: SharedWorld, cases: list[Case], counter: QueryCounter) -> dict[tuple[str, Role], tuple[int, int]]:
    """(endpoint, role) -> (queries, status) for every page the role may see."""
    counts = {}
    for case in cases:
        url = case.url(shared.world, "own")
        for role in _viewers(case):
            client = shared.clients[role]
            client.get(url).close()  # the first visit may fill per-process caches (compiled SQL, templates)
            counter.count, counter.statements = 0, []
            response = client.get(url)
            response.get_data()  # a streamed file is read to its end, as a browser would
            response.close()
            if os.environ.get("QUERY_BUDGET_SQL") == case.endpoint:  # to see what a page asks, when it asks too much
                print(f"--- {case.endpoint} as {role.value}:", *counter.statements, sep="\n")
            counts[(case.endpoint, role)] = (counter.count, response.status_code)
    return counts


@pytest.fixture(scope="module")
def shared(database_url, tmp_path_factory):
    world = SharedWorld(database_url, tmp_path_factory.mktemp("budgets") / "var")
    yield world
    world.close()


@pytest.mark.parametrize("cases", _groups(), ids=lambda cs: cs[0].setup.__name__.strip("_") if cs[0].setup else "plain")
def test_no_page_makes_more_queries_with_more_data(shared, cases):
    shared._dirty = True  # each group starts from an empty database and a fresh world
    world = shared.world_for(cases[0])
    counter = QueryCounter(db.engine)
    try:
        generate(1, db.session, _anchors(world))
        db.session.commit()
        small = _count(shared, cases, counter)
        generate(9, db.session, _anchors(world))
        db.session.commit()
        large = _count(shared, cases, counter)
    finally:
        counter.close()
    views = shared.app.view_functions
    problems = []
    for (endpoint, role), (queries, status) in sorted(large.items(), key=lambda kv: kv[0][0]):
        before, _ = small[(endpoint, role)]
        budget = budget_of(views[endpoint])
        if status >= 500:
            problems.append(f"{endpoint} as {role.value}: answered {status} at 10×")
        if queries != before:
            problems.append(f"{endpoint} as {role.value}: {before} queries at 1×, {queries} at 10×")
        if queries > budget:
            problems.append(f"{endpoint} as {role.value}: {queries} queries, over its budget of {budget}")
    if os.environ.get("QUERY_BUDGET_REPORT"):
        for (endpoint, role), (queries, status) in sorted(large.items(), key=lambda kv: kv[0][0]):
            print(f"{endpoint:45} {role.value:28} {small[(endpoint, role)][0]:>4} {queries:>4} {status}")
    assert not problems, "\n".join(problems)
