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
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.number * self.per_page)

    def numbers(self) -> list[int | None]:
        """Page numbers to link, with None for a gap: 1 … 4 5 6 … 12."""
        keep = {1, self.pages, self.number - 1, self.number, self.number + 1}
        out: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
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
    stmt: Select, number: int, per_page: int = PER_PAGE, *, rows: bool = False, count_of: Select | None = None
) -> Page:
    """Run `stmt` (already filtered and ordered) for one page; a page past the end shows the last page.

    Items are the first column of each row, or whole rows (tuples) with `rows=True` for a select of several entities.
    `count_of` counts instead of `stmt` when it selects the same rows more cheaply (without joins made only to show
    names, say).
    """
    counted = stmt if count_of is None else count_of
    total = db.session.scalar(select(func.count()).select_from(counted.order_by(None).subquery())) or 0
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = [tuple(r) for r in db.session.execute(limited)] if rows else list(db.session.scalars(limited))
    return Page(items=items, number=number, per_page=per_page, total=total)


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
