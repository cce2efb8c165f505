"""What needs a person now: each feature registers a source of items; the home page gathers them, newest first.

An item is derived from the state of the thing it is about (a queried claim, a booking offer waiting for an answer,
an unread message), never stored separately, so it disappears as soon as the person acts on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import CompoundSelect, Select, literal_column, select, union_all

from portal.auth.roles import Role
from portal.core import clock
from portal.core.db import db
from portal.core.need_rows import NEED_COLUMNS


@dataclass(frozen=True)
class Need:
    """One thing to act on. `text` is written for the person ("A claim needs your answer"); `href` is where they act;
    `at` is when it arose (for ordering and "2 days ago"); `count`, when set, is a queue's size and `oldest` the
    age of its oldest item, for staff queues; `more` says the count stopped there and the queue holds at least that
    many ("100 or more")."""

    kind: str
    text: str
    href: str
    at: datetime | date
    count: int | None = None
    oldest: datetime | date | None = None
    more: bool = False


NeedSource = Callable[[object, date], Iterable[Need]]
_SOURCES: list[tuple[frozenset[Role], NeedSource]] = []


def register_need_source(roles: Iterable[Role], source: NeedSource) -> None:
    """`source(user, today)` is asked for the person's items when they hold any of `roles`. It must cost a bounded
    number of queries whatever the amount of data (a count and the newest few rows). Registering the same source
    again (a second app in one process) changes nothing."""
    entry = (frozenset(roles), source)
    if entry not in _SOURCES:
        _SOURCES.append(entry)


@dataclass(frozen=True)
class NeedRows:
    """A source whose items one SELECT finds, read together with the person's other row sources in one statement.

    `statement` selects `portal.core.need_rows.need_columns(...)` (its own ORDER BY and LIMIT allowed) and may use
    the bound parameters `user_id` (the person's id), `today` (England's date) and `now` (UTC), plus those `params`
    returns for (now, today) — each name prefixed with the source's name, as all sources share one statement.
    `to_need(row)` makes the item from a row (a named tuple of the need columns), or returns None to skip it."""

    name: str
    roles: frozenset[Role]
    statement: Select
    to_need: Callable[[object], Need | None]
    params: Callable[[datetime, date], Mapping[str, object]] = field(default=lambda now, today: {})


_ROW_SOURCES: dict[str, NeedRows] = {}
_UNIONS: dict[tuple[str, ...], Select | CompoundSelect] = {}


def register_need_rows(source: NeedRows) -> None:
    """Add (or replace, by name) a row source. Its items cost no query of their own: every row source that applies
    to a person is read in one UNION ALL, built once per set of sources."""
    _ROW_SOURCES[source.name] = source
    _UNIONS.clear()


def needs_for(user, on: date) -> list[Need]:
    """Items from every source that applies to this person, newest first."""
    items: list[Need] = _from_rows(user, on)
    for roles, source in _SOURCES:
        if user.has_role(*roles):
            items.extend(source(user, on))
    return sorted(items, key=lambda item: _as_datetime(item.at), reverse=True)


def _from_rows(user, on: date) -> list[Need]:
    sources = tuple(s for s in _ROW_SOURCES.values() if user.has_role(*s.roles))
    if not sources:
        return []
    key = tuple(s.name for s in sources)
    statement = _UNIONS.get(key)
    if statement is None:
        statement = _UNIONS[key] = _union(sources)
    now = clock.now()
    values: dict[str, object] = {"user_id": user.id, "today": on, "now": now}
    for source in sources:
        values.update(source.params(now, on))
    items = []
    for row in db.session.execute(statement, values):
        item = _ROW_SOURCES[row.source].to_need(row)
        if item is not None:
            items.append(item)
    return items


def _union(sources: tuple[NeedRows, ...]) -> Select | CompoundSelect:
    """Each source's own statement (with its ORDER BY and LIMIT) as a subquery, tagged with the source's name."""
    parts = []
    for source in sources:
        inner = source.statement.subquery()
        tag = literal_column(f"'{source.name}'")  # a name of ours, not input: written into the SQL, not bound
        parts.append(select(tag.label("source"), *(inner.c[name] for name in NEED_COLUMNS)))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
