"""Long lists of ids sent to the database a slice at a time.

PostgreSQL takes at most 65,535 bound parameters in one statement (its wire protocol counts them in 16 bits), and
SQLite 32,766; an `IN (...)` list binds one per id. Where a list can grow with the service (every claim of a pay
run, every journey of a tax year), statements go out in slices of `SIZE` ids instead, or join a subquery.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

SIZE = 5_000  # well under both limits, and large enough that the round trips do not matter


def chunked(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """`items` in lists of at most `size` (default `SIZE`), in order; nothing for an empty iterable."""
    size = size or SIZE
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
