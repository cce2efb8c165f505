"""The counts drawn on every signed-in page (new notifications in the header, new mentoring messages in the menu),
all fetched with one query per request (`portal.hub.navigation.badge` asks once per request and keeps the answer).

A feature registers a counter once: its name, the roles whose pages show it (None: everyone signed in), and a
SELECT of one count that takes the person's id as the bound parameter `user_id`. The combined statement is built
once per set of counters and reused, since building a statement costs more than the database takes to answer it.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.db import db

# name -> (the roles shown it, or None for everyone; the count). Roles are the person's `roles` values.
_COUNTERS: dict[str, tuple[frozenset | None, Select]] = {}
_STATEMENTS: dict[tuple[str, ...], Select] = {}


def register_badge(name: str, roles: frozenset | None, count: Select) -> None:
    """Add (or replace) the counter `name`; `count` selects one integer for the bound parameter `user_id`."""
    _COUNTERS[name] = (roles, count)
    _STATEMENTS.clear()


def badge_counts(user) -> dict[str, int]:
    """{counter name: count} for every counter `user` sees (one query; none when they see none)."""
    roles = user.roles
    names = tuple(name for name, (allowed, _) in _COUNTERS.items() if allowed is None or roles & allowed)
    if not names:
        return {}
    statement = _STATEMENTS.get(names)
    if statement is None:
        statement = select(*(_COUNTERS[name][1].scalar_subquery().label(name) for name in names))
        _STATEMENTS[names] = statement
    row = db.session.execute(statement, {"user_id": user.id}).one()
    return {name: value or 0 for name, value in zip(names, row, strict=True)}
