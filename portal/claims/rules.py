"""The council's claim rules as plain functions: age limits, financial years, working days, categories, receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from flask import current_app

from portal.claims.models import EXPENSE_CATEGORY_LABELS
from portal.claims.rates import financial_year_start


@dataclass(frozen=True)
class Settings:
    max_age_days: int = 90
    target_working_days: int = 10
    second_approval_pence: int = 0
    expense_line_max_pence: int = 500_000
    long_journey_miles: int = 150
    receipt_optional: frozenset[str] = frozenset()
    allowance_categories: tuple[tuple[str, str], ...] = ()


def settings() -> Settings:
    cfg = current_app.config
    allowance = []
    for part in (cfg.get("CLAIM_ALLOWANCE_CATEGORIES") or "").split(","):
        key, _, label = part.partition(":")
        if key.strip():
            allowance.append((key.strip(), (label or key).strip()))
    return Settings(
        max_age_days=int(cfg.get("CLAIM_MAX_AGE_DAYS", 90)),
        target_working_days=int(cfg.get("CLAIM_TARGET_WORKING_DAYS", 10)),
        second_approval_pence=int(cfg.get("CLAIM_SECOND_APPROVAL_PENCE", 0)),
        expense_line_max_pence=int(cfg.get("CLAIM_EXPENSE_LINE_MAX_PENCE", 500_000)),
        long_journey_miles=int(cfg.get("CLAIM_LONG_JOURNEY_MILES", 150)),
        receipt_optional=frozenset(
            c.strip() for c in (cfg.get("CLAIM_RECEIPT_OPTIONAL_CATEGORIES") or "").split(",") if c.strip()
        ),
        allowance_categories=tuple(allowance),
    )


def receipt_required(category: str, s: Settings) -> bool:
    return category in EXPENSE_CATEGORY_LABELS and category not in s.receipt_optional


def age_problem(line_date: date, on: date, max_age_days: int) -> str | None:
    """Why a line dated `line_date` may not be claimed on `on` without an admin's override, or None."""
    if line_date < financial_year_start(on):
        return (
            f"{line_date.day} {line_date:%B %Y} is in a previous financial year (they end on 31 March), "
            "so this claim needs an admin to allow it"
        )
    if (on - line_date).days > max_age_days:
        return (
            f"{line_date.day} {line_date:%B %Y} is more than {max_age_days} days ago, "
            "so this claim needs an admin to allow it"
        )
    return None


def near_age_limit(line_date: date, on: date, max_age_days: int, margin_days: int = 14) -> bool:
    return (on - line_date).days > max_age_days - margin_days or (
        financial_year_start(on + timedelta(days=margin_days)) > line_date >= financial_year_start(on)
    )


@lru_cache(maxsize=4096)  # a pure function of its arguments; a list asks it for the same few dates again and again
def add_working_days(start: date, days: int) -> date:
    """Monday to Friday; bank holidays are not known here, so a target is met a little early rather than late."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


# _WORKING_AFTER[w][n]: working days among the n days (under a week) after a day of weekday w (Monday is 0).
_WORKING_AFTER = tuple(tuple(sum((w + i) % 7 < 5 for i in range(1, n + 1)) for n in range(7)) for w in range(7))


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start`, up to and including `end` (0 when `end` is not later). Arithmetic, not a
    walk through the days: the queue asks it for every claim on a page."""
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    return full_weeks * 5 + _WORKING_AFTER[start.weekday()][rest]


def subtract_working_days(end: date, days: int) -> date:
    current = end
    while days > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
