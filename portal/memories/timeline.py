"""Reading a child's memory box page by page: which items each reader sees, the timeline and the years it spans.

The box page is opened far more often than anything else in a box, so its statements are built once — per reading
rule and per kind of page — with the child, the reader and the cursor as bound parameters, and read plain columns
(MemoryCard), not models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, Integer, and_, bindparam, exists, extract, null, or_, select, true, tuple_, union_all

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db, start_of_year, unindexed
from portal.core.uploads import READY, StoredFile
from portal.memories.models import APPROVED, KIND_LABELS, MemoryItem, MemoryItemTag

PAGE_SIZE = 24

_ITEMS, _FILES, _TAGS = MemoryItem.__table__, StoredFile.__table__, MemoryItemTag.__table__
_item, _file, _tag = _ITEMS.c, _FILES.c, _TAGS.c

# Reading rules: which of a child's items a reader sees. Moderators see all; a young person their approved, unhidden
# box; anyone else the approved, unhidden box plus their own items still waiting for approval. The reader is the
# bound parameter `reader_id`.
EVERYTHING, SHOWN, SHOWN_OR_OWN = "everything", "shown", "shown_or_own"
# The status is compared unindexed (portal.core.db.unindexed): SQLite, planning without statistics, would otherwise
# read every approved memory of the service through the moderation queue's index instead of this child's timeline.
_SHOWN = and_(unindexed(_item.status) == APPROVED, _item.hidden_at.is_(None))
_RULE_CLAUSES = {
    EVERYTHING: true(),
    SHOWN: _SHOWN,
    SHOWN_OR_OWN: or_(_SHOWN, and_(_item.added_by_id == bindparam("reader_id"), _item.hidden_at.is_(None))),
}


def reading_rule(user: User, young_person_user_id: int | None, *, sees_everything: bool) -> str:
    """The rule (EVERYTHING, SHOWN or SHOWN_OR_OWN) by which `user` reads the box of the child whose young person's
    account is `young_person_user_id` (None when the child has none)."""
    if sees_everything:
        return EVERYTHING
    if young_person_user_id == user.id and Role.YOUNG_PERSON in user.roles:
        return SHOWN
    return SHOWN_OR_OWN


def rule_clause(rule: str):
    """The WHERE clause of a reading rule, on memory_items; it binds `reader_id`."""
    return _RULE_CLAUSES[rule]


@dataclass
class Cursor:
    memory_date: date
    item_id: int

    def token(self) -> str:
        return f"{self.memory_date.isoformat()}.{self.item_id}"

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            day, _, ident = raw.partition(".")
            return cls(date.fromisoformat(day), int(ident))
        except ValueError:
            return None  # a hand-edited link just starts from the beginning


@dataclass(frozen=True, slots=True)
class MemoryCard:
    """A memory as the timeline's grid shows it (a card of templates/memories/show_box.html): read as plain columns,
    without the child, the person who added it or its tags."""

    id: int
    memory_date: date
    title: str
    kind: str
    is_sensitive: bool
    status: str
    is_hidden: bool
    file_status: str | None  # None for a note (no file)
    has_thumb: bool  # the file has a thumbnail rendition

    @property
    def kind_label(self) -> str:
        return _KIND_LABEL[self.kind]

    @property
    def is_approved(self) -> bool:
        return self.status == APPROVED

    @property
    def is_ready(self) -> bool:
        return self.file_status is None or self.file_status == READY

    @property
    def is_rejected(self) -> bool:
        return self.file_status == "rejected"

    @property
    def shows_thumb(self) -> bool:
        return self.file_status == READY and self.has_thumb


_KIND_LABEL = {k.value: label for k, label in KIND_LABELS.items()}
_CARD_COLUMNS = (
    _item.id,
    _item.memory_date,
    _item.title,
    _item.kind,
    _item.is_sensitive,
    _item.status,
    _item.hidden_at,
    _file.status,
    _file.renditions,
)


def _card(item_id, memory_date, title, kind, is_sensitive, status, hidden_at, file_status, renditions) -> MemoryCard:
    return MemoryCard(
        item_id, memory_date, title, kind, is_sensitive, status, hidden_at is not None, file_status,
        bool(renditions and renditions.get("thumb")),
    )  # fmt: skip


@dataclass
class TimelinePage:
    items: list[MemoryCard]
    newer: Cursor | None  # where the page before this one ends (in the chosen order), or None at the start
    older: Cursor | None  # where the next page starts from, or None at the end
    years: list[int]  # newest first: every year the reader has memories in, for "jump to a year"


@cache
def _timeline_stmt(rule: str, tagged: bool, of_kind: bool, descending: bool, paging: str):
    """One page of a box and the years it spans, in one statement (a union: the page's rows, with `year` NULL, and
    a row for each year, with the card's columns NULL; in no promised order). `paging` is "after" (onwards from the
    cursor), "before" (back from it) or "" (the start); `descending` is the order the page is read in. Binds
    child_id, reader_id, tag, kind, cursor_date, cursor_id and limit."""
    page = (
        select(*_CARD_COLUMNS)
        .select_from(_ITEMS.outerjoin(_FILES, _file.id == _item.stored_file_id))
        .where(_item.child_id == bindparam("child_id"), _RULE_CLAUSES[rule])
    )
    if tagged:
        page = page.where(exists().where(_tag.item_id == _item.id, _tag.tag == bindparam("tag")))
    if of_kind:
        page = page.where(_item.kind == bindparam("kind"))
    if paging:
        key = tuple_(_item.memory_date, _item.id)
        point = tuple_(bindparam("cursor_date", type_=Date()), bindparam("cursor_id", type_=Integer()))
        page = page.where(key < point if descending else key > point)
    order = (_item.memory_date.desc(), _item.id.desc()) if descending else (_item.memory_date, _item.id)
    page = page.order_by(*order).limit(bindparam("limit")).subquery()
    years = _years_stmt(rule).subquery()
    return union_all(select(*page.c, null()), select(*(null() for _ in page.c), *years.c))


def _years_stmt(rule: str):
    """The years the reader has memories in, newest first in the making: the latest shown memory, then the latest
    before the first of January of its year, and so on (a recursive statement). Each step is one seek down the
    timeline index, so a box of a thousand memories over twelve years costs twelve seeks, not a thousand rows
    grouped. Binds child_id and reader_id."""
    shown = (_item.child_id == bindparam("child_id"), _RULE_CLAUSES[rule])

    def latest(*before):
        newest = select(_item.memory_date).where(*shown, *before).order_by(_item.memory_date.desc(), _item.id.desc())
        return newest.limit(1).scalar_subquery()

    steps = select(latest().label("day")).cte("memory_years", recursive=True)
    steps = steps.union_all(
        select(latest(_item.memory_date < start_of_year(steps.c.day))).where(steps.c.day.is_not(None))
    )
    return select(extract("year", steps.c.day)).where(steps.c.day.is_not(None))


def _page_key(card: MemoryCard):
    return card.memory_date, card.id


def timeline(
    user: User,
    child_id: int,
    *,
    rule: str,
    oldest_first: bool = False,
    tag: str = "",
    kind: str = "",
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> TimelinePage:
    """One page of the box in date order, as MemoryCards read by `rule` (see reading_rule), with the years the
    reader has memories in (whatever the filters). `after` continues forward from a cursor, `before` goes back a
    page.

    Keyset paging on (memory_date, id): each page costs the same however many items the box holds.
    """
    cursor, paging = (after, "after") if after is not None else (before, "before") if before is not None else (None, "")
    # Onwards goes down the keys when the newest come first; back goes the other way.
    descending = oldest_first == (paging == "before")
    stmt = _timeline_stmt(rule, bool(tag), bool(kind), descending, paging)
    params = {"child_id": child_id, "reader_id": user.id, "tag": tag, "kind": kind, "limit": size + 1}
    if cursor is not None:
        params["cursor_date"], params["cursor_id"] = cursor.memory_date, cursor.item_id
    rows, years = [], []
    for row in db.session.execute(stmt, params):
        if row[0] is None:
            years.append(int(row[-1]))
        else:
            rows.append(_card(*row[:-1]))
    if paging == "before" and not rows:
        # Nothing comes before the cursor (a year's link or a filter can start a page with nothing before it, which
        # still offers a way back): the first page, not an empty one that would say the box is empty.
        return timeline(user, child_id, rule=rule, oldest_first=oldest_first, tag=tag, kind=kind, size=size)
    rows.sort(key=_page_key, reverse=descending)
    years.sort(reverse=True)
    more = len(rows) > size
    rows = rows[:size]
    if paging == "before":
        rows.reverse()
        has_newer, has_older = more, True
    else:
        has_newer, has_older = after is not None, more
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return TimelinePage(
        items=rows,
        newer=Cursor(first.memory_date, first.id) if has_newer and first else None,
        older=Cursor(last.memory_date, last.id) if has_older and last else None,
        years=years,
    )
