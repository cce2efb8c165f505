"""Facts about people other features act on, without people importing them: each feature subscribes at start-up.

`carers_joined_locality(user_ids)` is announced inside the use case that caused it (a household added, a carer
added to one, a household moved to another locality); subscribers queue their work with `portal.core.jobs.enqueue`,
which runs only once that use case commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CarersJoined = Callable[[list[int]], None]
_JOINED: list[CarersJoined] = []


def on_carers_joined_locality(subscriber: CarersJoined) -> None:
    if subscriber not in _JOINED:
        _JOINED.append(subscriber)


def carers_joined_locality(user_ids: Iterable[int]) -> None:
    ids = sorted(set(user_ids))
    if ids:
        for subscriber in _JOINED:
            subscriber(ids)
