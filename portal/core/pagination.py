"""Pages of a long list (25 rows by default), counted in the database, with links for GOV.UK pagination."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from portal.core.db import db

T = TypeVar("T")
PER_PAGE = 25


def page_number(args: Mapping[str, str]) -> int:
    """?page= as a whole number of at least 1; anything else (typed by hand, or stale) means the first page."""
    raw = (args.get("page") or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


@dataclass
class Page(Generic[T]):
    """One page of a list. `total` is the number of rows in all, or with `more` set a floor: the count stopped
    there (paginate's `count_up_to`) and the list holds more than `total`; `next_exists` then says whether a page
    follows this one (read with the page, one row beyond it)."""

    items: list[T]
    number: int
    per_page: int
    total: int
    more: bool = False
    next_exists: bool = False

    @property
    def pages(self) -> int:
        """Pages in all; for a capped count, the pages known to exist (this one and the next, when there is one)."""
        if self.more:
            return self.number + 1 if self.next_exists else self.number
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.next_exists if self.more else self.number < self.pages

    @property
    def first_row(self) -> int:
        if not self.items and (self.total == 0 or self.more):
            return 0
        return (self.number - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        if self.more:
            return (self.number - 1) * self.per_page + len(self.items)
        return min(self.total, self.number * self.per_page)

    def numbers(self) -> list[int | None]:
        """Page numbers to link, with None for a gap: 1 … 4 5 6 … 12. A capped count has no last number: its
        links end at the next page, then a gap when one follows (1 … 40 41 42 …)."""
        keep = {1, self.pages, self.number - 1, self.number, self.number + 1}
        out: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        if self.more and self.next_exists:
            out.append(None)  # there may be pages after the next: how many was not counted
        return out

    def govuk(self, href: Callable[[int], str]) -> dict | None:
        """Parameters for the govukPagination macro, or None when everything fits on one page."""
        if self.pages <= 1:
            return None
        items = [
            {"ellipsis": True} if n is None else {"number": n, "href": href(n), "current": n == self.number}
            for n in self.numbers()
        ]
        return {
            "items": items,
            "previous": {"href": href(self.number - 1)} if self.has_previous else None,
            "next": {"href": href(self.number + 1)} if self.has_next else None,
        }


def paginate(
    stmt: Select,
    number: int,
    per_page: int = PER_PAGE,
    *,
    rows: bool = False,
    count_of: Select | None = None,
    count_up_to: int | None = None,
) -> Page:
    """Run `stmt` (already filtered and ordered) for one page; a page past the end shows the last page.

    Items are the first column of each row, or whole rows (tuples) with `rows=True` for a select of several entities.
    `count_of` counts instead of `stmt` when it selects the same rows more cheaply (without joins made only to show
    names, say). `count_up_to=N` counts at most N + 1 rows (a count over a LIMIT N + 1 subquery), so a list over the
    whole service costs the same to count however much it holds: past N the page says "more than N" (`Page.more`)
    and its links go to the previous and next pages only, the next known from one row read beyond the page. Two
    queries either way; a page asked for past the end of a capped list (typed by hand) counts in full, only then.
    """
    counted = (stmt if count_of is None else count_of).order_by(None)
    if count_up_to is not None:
        capped = counted.limit(count_up_to + 1).subquery()
        total = db.session.scalar(select(func.count()).select_from(capped)) or 0
        if total > count_up_to:
            return _past_the_count(stmt, max(1, number), per_page, rows, count_up_to, counted)
    else:
        total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = [tuple(r) for r in db.session.execute(limited)] if rows else list(db.session.scalars(limited))
    return Page(items=items, number=number, per_page=per_page, total=total)


def _past_the_count(stmt: Select, number: int, per_page: int, rows: bool, cap: int, counted: Select) -> Page:
    """A page of a list longer than its count's cap: the page and one row beyond it (is there a next page?)."""
    limited = stmt.limit(per_page + 1).offset((number - 1) * per_page)
    items = [tuple(r) for r in db.session.execute(limited)] if rows else list(db.session.scalars(limited))
    if not items and number > 1:  # past the end: the last page, which only a full count finds
        total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
        return paginate(stmt, min(number, max(1, -(-total // per_page))), per_page, rows=rows, count_of=counted)
    return Page(items[:per_page], number, per_page, total=cap, more=True, next_exists=len(items) > per_page)


def paginate_counted(stmt: Select, number: int, per_page: int = PER_PAGE, *, make: Callable[..., T]) -> Page[T]:
    """`paginate` in one statement: the total comes with the rows as a window count. For a list whose scope is
    small whatever the service's size (one household's claims), where counting alongside costs nothing extra;
    a queue over the whole service keeps `paginate`, whose page query can stop early on an index.

    `stmt` selects columns; each row becomes `make(*columns)`. A page past the end shows the last page (one more
    count and fetch, only then)."""
    number = max(1, number)
    counted = stmt.add_columns(func.count().over().label("rows_in_all"))
    rows = db.session.execute(counted.limit(per_page).offset((number - 1) * per_page)).all()
    if not rows and number > 1:
        page = paginate(stmt, number, per_page, rows=True)
        return Page(items=[make(*r) for r in page.items], number=page.number, per_page=per_page, total=page.total)
    return Page(items=[make(*r[:-1]) for r in rows], number=number, per_page=per_page, total=rows[0][-1] if rows else 0)
