"""How many SQL queries a page may make, declared beside its route: `@query_budget(12)`.

A page's query count must not grow with the data (tests/test_query_budgets.py fetches every page of every role at
1× and 10× data and compares); the budget caps it besides, so a new eager load or a per-row lookup that happens to
be flat still shows up when it costs more than the page was written for. Routes without a budget get
DEFAULT_QUERY_BUDGET, which fits a page showing a handful of scoped lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

DEFAULT_QUERY_BUDGET = 20


def query_budget(queries: int) -> Callable[[F], F]:
    """Declare that the view may run at most `queries` SQL statements per request (whatever the data's size)."""

    def declare(view: F) -> F:
        view.query_budget = queries  # functools.wraps in the gates copies it onto the registered function
        return view

    return declare


def budget_of(view: Callable) -> int:
    """The budget declared on `view` (or the view it wraps), else DEFAULT_QUERY_BUDGET."""
    while view is not None:
        if hasattr(view, "query_budget"):
            return view.query_budget
        view = getattr(view, "__wrapped__", None)
    return DEFAULT_QUERY_BUDGET
