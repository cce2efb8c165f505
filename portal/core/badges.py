"""The counts drawn on every signed-in page (new notifications in the header, new mentoring messages in the menu),
read with the signed-in person's session record: no query of their own.

A feature registers a counter once: its name, the roles whose pages show it (None: everyone signed in), and a
SELECT of one count that takes the person's id as the bound parameter `user_id`. The session loader
(`portal.auth.sessions.live_session`) selects every counter beside the session record (`counter_columns`) and hands
the values to `loaded`; `portal.hub.navigation.badge` reads them through `badge_counts`. A request that commits a
change after that (reading a conversation marks its messages read) has its counts read again, in one query, when a
page draws them.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session

from portal.core.db import db

# name -> (the roles shown it, or None for everyone; the count). Roles are the person's `roles` values.
_COUNTERS: dict[str, tuple[frozenset | None, Select]] = {}
_STATEMENTS: dict[tuple[str, ...], Select] = {}
_LOADED = "hearth_badges_loaded"  # g's slot for the counts read with the session record


def register_badge(name: str, roles: frozenset | None, count: Select) -> None:
    """Add (or replace) the counter `name`; `count` selects one integer for the bound parameter `user_id`."""
    _COUNTERS[name] = (roles, count)
    _STATEMENTS.clear()


def counter_names() -> tuple[str, ...]:
    """Every registered counter's name, in registration order: what a statement of `counter_columns` is kept by."""
    return tuple(_COUNTERS)


def counter_columns() -> tuple[tuple[str, ...], list]:
    """Every registered counter's name, and its count as a labelled scalar subquery (bound parameter `user_id`),
    for a statement that reads them with something else. The names change only when a counter is registered."""
    names = counter_names()
    return names, [_COUNTERS[name][1].scalar_subquery().label(f"badge_{name}") for name in names]


def loaded(names: tuple[str, ...], values) -> None:
    """Keep this request's counts, as read by `counter_columns`' columns, for `badge_counts`."""
    setattr(g, _LOADED, dict(zip(names, values, strict=True)))


def badge_counts(user) -> dict[str, int]:
    """{counter name: count} for every counter `user` sees: the counts read with their session record, or, when
    none were or the request has committed a change since, one query."""
    roles = user.roles
    names = tuple(name for name, (allowed, _) in _COUNTERS.items() if allowed is None or roles & allowed)
    if not names:
        return {}
    counts = g.get(_LOADED)
    if counts is not None and all(name in counts for name in names):
        return {name: counts[name] or 0 for name in names}
    statement = _STATEMENTS.get(names)
    if statement is None:
        statement = select(*(_COUNTERS[name][1].scalar_subquery().label(name) for name in names))
        _STATEMENTS[names] = statement
    row = db.session.execute(statement, {"user_id": user.id}).one()
    return {name: value or 0 for name, value in zip(names, row, strict=True)}


@event.listens_for(Session, "after_commit")
def _forget_loaded(_session) -> None:
    # What was committed may have changed a count (messages marked read): read them again if a page draws them.
    if has_app_context():
        g.pop(_LOADED, None)
