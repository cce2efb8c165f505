"""Parts of hub pages made from live data by the features that own it (the allowance and fee tables from payments'
rate tables, mileage rates from claims'), so the payment policy a carer reads is the one pay runs and claims use.

The hub never imports those features: each registers a provider at start-up with `register_live_section`, and a
page names the sections it shows (`HubPage.live_sections`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class LiveTable:
    """One table: `applies` says when it applies in words ("6 April 2026 until further notice", "2025 to 2026");
    `rows` are already formatted text (pounds through portal.core.money)."""

    caption: str
    applies: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str = ""


@dataclass(frozen=True)
class LiveSection:
    key: str
    title: str
    intro: str = ""
    tables: tuple[LiveTable, ...] = field(default_factory=tuple)


SectionProvider = Callable[[date], LiveSection]
_PROVIDERS: dict[str, tuple[str, SectionProvider]] = {}


def register_live_section(key: str, title: str, provider: SectionProvider) -> None:
    """`provider(on)` returns the section as it applies on that day (a bounded number of queries)."""
    _PROVIDERS[key] = (title, provider)


def available_sections() -> list[tuple[str, str]]:
    """(key, title) of every registered section, for the admin choosing what a page shows."""
    return [(key, title) for key, (title, _p) in sorted(_PROVIDERS.items())]


def live_sections(keys: list[str], on: date) -> list[LiveSection]:
    """The named sections that are registered, in the order named (unknown keys are skipped)."""
    return [_PROVIDERS[key][1](on) for key in keys if key in _PROVIDERS]
