"""The statements a call runs, and SQLite's plans for them: for tests that pin how a page reads its rows."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from portal.core.db import db


def statements_run(call: Callable[[], object]) -> list[tuple[str, tuple]]:
    """(SQL, parameters) of every statement `call()` sends to the database, in order."""
    seen: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return seen


def sqlite_plan(sql: str, params: tuple, sep: str = " ") -> str:
    """SQLite's EXPLAIN QUERY PLAN for one statement, its steps joined by `sep`."""
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
    return sep.join(str(r[-1]) for r in rows)
