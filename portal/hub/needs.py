"""What needs a person now: each feature registers a source of items; the home page gathers them, newest first.

An item is derived from the state of the thing it is about (a queried claim, a booking offer waiting for an answer,
an unread message), never stored separately, so it disappears as soon as the person acts on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from portal.auth.roles import Role


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


def needs_for(user, on: date) -> list[Need]:
    """Items from every source that applies to this person, newest first."""
    items: list[Need] = []
    for roles, source in _SOURCES:
        if user.has_role(*roles):
            items.extend(source(user, on))
    return sorted(items, key=lambda item: _as_datetime(item.at), reverse=True)


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
