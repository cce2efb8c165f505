"""Memory boxes and items a user may see: boxes follow placements, caseloads and grants; pages are keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, bindparam, exists, extract, false, or_, select, true, tuple_

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.core.uploads import READY, StoredFile
from portal.memories.models import (
    APPROVED,
    KIND_LABELS,
    PENDING,
    MemoryBoxAccess,
    MemoryExport,
    MemoryItem,
    MemoryItemTag,
)
from portal.people.models import Child, Household, HouseholdMember, Placement
from portal.people.queries import current_placement_clause, household_ids_of_carer

PAGE_SIZE = 24


def _placed_in(households, on: date):
    return exists().where(
        Placement.child_id == Child.id, current_placement_clause(on), Placement.household_id.in_(households)
    )


def granted_clause(user: User):
    """The young person linked to the child, with an unrevoked grant from the child's social worker."""
    return and_(
        Child.young_person_user_id == user.id,
        exists().where(
            MemoryBoxAccess.child_id == Child.id,
            MemoryBoxAccess.young_person_user_id == user.id,
            MemoryBoxAccess.revoked_at.is_(None),
        ),
    )


def boxes_visible_to(user: User, on: date | None = None) -> Select[tuple[Child]]:
    """Children whose memory box the user may open. Never by history: an ended placement gives nothing."""
    stmt = select(Child)
    if user.has_role(Role.ADMIN):
        return stmt
    on = on or today()
    clauses = []
    if user.has_role(Role.CARER):
        clauses.append(_placed_in(household_ids_of_carer(user), on))
    if user.has_role(Role.SSW):
        clauses.append(_placed_in(select(Household.id).where(Household.ssw_id == user.id), on))
    if user.has_role(Role.CHILD_SW):
        clauses.append(Child.social_worker_id == user.id)
    if user.has_role(Role.YOUNG_PERSON):
        clauses.append(granted_clause(user))
    return stmt.where(or_(*clauses) if clauses else false())


def box_children(user: User, page: int = 1) -> Page[Child]:
    """One page of the children whose boxes the user may open, by name (a whole service's boxes, for an admin)."""
    return paginate(boxes_visible_to(user).order_by(Child.first_name, Child.last_name, Child.id), page)


def items_clause(user: User, child: Child, *, sees_everything: bool):
    """Which of a child's items this reader sees: moderators see all; others the approved, unhidden box, plus
    (for the person who added them) their own items still waiting for approval."""
    if sees_everything:
        return true()
    shown = and_(MemoryItem.status == APPROVED, MemoryItem.hidden_at.is_(None))
    if user.has_role(Role.YOUNG_PERSON) and child.young_person_user_id == user.id:
        return shown
    return or_(shown, and_(MemoryItem.added_by_id == user.id, MemoryItem.hidden_at.is_(None)))


def years_with_items(user: User, child: Child, *, sees_everything: bool) -> list[int]:
    """Newest first: the years this reader has memories in, for "jump to a year" (one grouped query on the
    timeline index, however many years the box spans)."""
    year = extract("year", MemoryItem.memory_date)
    found = db.session.scalars(
        select(year)
        .where(MemoryItem.child_id == child.id, items_clause(user, child, sees_everything=sees_everything))
        .group_by(year)
        .order_by(year.desc())
    )
    return [int(y) for y in found]


@dataclass
class Cursor:
    memory_date: date
    item_id: int

    def token(self) -> str:
        return f"{self.memory_date.isoformat()}.{self.item_id}"

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        try:
            day, _, ident = (raw or "").partition(".")
            return cls(date.fromisoformat(day), int(ident))
        except ValueError:
            return None  # a hand-edited link just starts from the beginning


@dataclass(frozen=True, slots=True)
class MemoryCard:
    """A memory as the timeline's grid shows it (templates/memories/_item_card.html): read as plain columns, without
    the child, the person who added it or its tags."""

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
    MemoryItem.id,
    MemoryItem.memory_date,
    MemoryItem.title,
    MemoryItem.kind,
    MemoryItem.is_sensitive,
    MemoryItem.status,
    MemoryItem.hidden_at,
    StoredFile.status,
    StoredFile.renditions,
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


def timeline(
    user: User,
    child: Child,
    *,
    sees_everything: bool,
    oldest_first: bool = False,
    tag: str = "",
    kind: str = "",
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> TimelinePage:
    """One page of the box in date order, as MemoryCards. `after` continues forward from a cursor, `before` goes
    back a page.

    Keyset paging on (memory_date, id): each page costs the same however many items the box holds.
    """
    key = tuple_(MemoryItem.memory_date, MemoryItem.id)
    stmt = (
        select(*_CARD_COLUMNS)
        .outerjoin(StoredFile, StoredFile.id == MemoryItem.stored_file_id)
        .where(MemoryItem.child_id == child.id, items_clause(user, child, sees_everything=sees_everything))
    )
    if tag:
        stmt = stmt.where(exists().where(MemoryItemTag.item_id == MemoryItem.id, MemoryItemTag.tag == tag))
    if kind:
        stmt = stmt.where(MemoryItem.kind == kind)
    forward_desc = not oldest_first
    backwards = before is not None and after is None
    desc = forward_desc != backwards
    if after is not None:
        point = tuple_(after.memory_date, after.item_id)
        stmt = stmt.where(key < point if forward_desc else key > point)
    elif before is not None:
        point = tuple_(before.memory_date, before.item_id)
        stmt = stmt.where(key > point if forward_desc else key < point)
    order = (MemoryItem.memory_date.desc(), MemoryItem.id.desc()) if desc else (MemoryItem.memory_date, MemoryItem.id)
    rows = [_card(*row) for row in db.session.execute(stmt.order_by(*order).limit(size + 1))]
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_newer, has_older = more, True
    else:
        has_newer, has_older = after is not None, more
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return TimelinePage(
        items=rows,
        newer=Cursor(first.memory_date, first.id) if has_newer and first else None,
        older=Cursor(last.memory_date, last.id) if has_older and last else None,
    )


def moderation_children(user: User, on: date | None = None) -> Select[tuple[int]]:
    """Ids of the children whose boxes this user moderates."""
    if user.has_role(Role.ADMIN):
        return select(Child.id)
    on = on or today()
    clauses = []
    if user.has_role(Role.CHILD_SW):
        clauses.append(Child.social_worker_id == user.id)
    if user.has_role(Role.SSW):
        clauses.append(_placed_in(select(Household.id).where(Household.ssw_id == user.id), on))
    return select(Child.id).where(or_(*clauses) if clauses else false())


def moderation_queue(user: User) -> Select[tuple[MemoryItem]]:
    """Items waiting for approval in the boxes this user moderates, oldest first (fair to whoever waited longest)."""
    return (
        select(MemoryItem)
        .where(
            MemoryItem.status == PENDING,
            MemoryItem.hidden_at.is_(None),
            MemoryItem.child_id.in_(moderation_children(user)),
        )
        .order_by(MemoryItem.created_at, MemoryItem.id)
    )


@dataclass(frozen=True)
class Remembered:
    """A card of the home page's "on this day": the item, the child's known-as name, and whether a thumbnail is ready
    to show."""

    id: int
    title: str
    memory_date: date
    is_sensitive: bool
    child_name: str
    has_thumb: bool


CHILDHOOD_YEARS = 18  # a child in care is under 18: "on this day" looks back this many years


def _on_this_day_stmt():
    items, children, files = MemoryItem.__table__.c, Child.__table__.c, StoredFile.__table__.c
    placements, members = Placement.__table__.c, HouseholdMember.__table__.c
    on = bindparam("on")
    placed_with_carer = select(placements.child_id).where(
        current_placement_clause(on, placements),
        placements.household_id.in_(select(members.household_id).where(members.user_id == bindparam("user_id"))),
    )
    return (
        select(
            items.id,
            items.title,
            items.memory_date,
            items.is_sensitive,
            children.preferred_name,
            children.first_name,
            files.status,
            files.renditions,
        )
        .join_from(MemoryItem.__table__, Child.__table__, children.id == items.child_id)
        .outerjoin(StoredFile.__table__, files.id == items.stored_file_id)
        .where(
            items.child_id.in_(placed_with_carer),
            # One placeholder per earlier year, not an expanding list: the SQL is rendered once, not on every visit.
            items.memory_date.in_([bindparam(f"day{n}") for n in range(1, CHILDHOOD_YEARS + 1)]),
            items.status == APPROVED,
            items.hidden_at.is_(None),
        )
        .order_by(items.memory_date.desc(), items.id.desc())
        .limit(bindparam("limit"))
    )


# On every visit to a carer's home page: a Core statement built once (the carer, the day and the dates are bound
# parameters), reading only what a card shows.
_ON_THIS_DAY = _on_this_day_stmt()


def on_this_day(user: User, on: date | None = None, limit: int = 6) -> list[Remembered]:
    """Approved memories from this day in earlier years, from the boxes of the children placed with this carer;
    items whose file is not ready yet are left out."""
    on = on or today()
    if not user.has_role(Role.CARER):
        return []
    days = {}
    for years_ago in range(1, CHILDHOOD_YEARS + 1):  # one indexed lookup per earlier year
        try:
            day = on.replace(year=on.year - years_ago)
        except ValueError:  # 29 February: remembered on the 28th in other years
            day = date(on.year - years_ago, 2, 28)
        days[f"day{years_ago}"] = day
    rows = db.session.execute(_ON_THIS_DAY, {"user_id": user.id, "on": on, "limit": limit, **days})
    return [
        Remembered(
            item_id,
            title,
            memory_date,
            is_sensitive,
            preferred_name or first_name,  # Child.known_as
            bool(renditions and renditions.get("thumb")),
        )
        for item_id, title, memory_date, is_sensitive, preferred_name, first_name, file_status, renditions in rows
        # A note has no file; a file is shown once it has been scanned and cleaned (MemoryItem.is_ready).
        if file_status is None or file_status == READY
    ]


def access_decisions(child: Child) -> list[MemoryBoxAccess]:
    return list(
        db.session.scalars(
            select(MemoryBoxAccess)
            .where(MemoryBoxAccess.child_id == child.id)
            .order_by(MemoryBoxAccess.granted_at.desc(), MemoryBoxAccess.id.desc())
        )
    )


def active_access(child: Child) -> MemoryBoxAccess | None:
    if child.young_person_user_id is None:
        return None
    return db.session.scalar(
        select(MemoryBoxAccess)
        .where(
            MemoryBoxAccess.child_id == child.id,
            MemoryBoxAccess.young_person_user_id == child.young_person_user_id,
            MemoryBoxAccess.revoked_at.is_(None),
        )
        .limit(1)
    )


def exports_of(child: Child, limit: int = 10) -> list[MemoryExport]:
    return list(
        db.session.scalars(
            select(MemoryExport)
            .where(MemoryExport.child_id == child.id)
            .order_by(MemoryExport.created_at.desc(), MemoryExport.id.desc())
            .limit(limit)
        )
    )


def box_items_in_date_order(child: Child) -> list[MemoryItem]:
    """The permanent box (approved, not hidden, file ready), oldest first: what an export contains."""
    stmt = (
        select(MemoryItem)
        .where(MemoryItem.child_id == child.id, MemoryItem.status == APPROVED, MemoryItem.hidden_at.is_(None))
        .order_by(MemoryItem.memory_date, MemoryItem.id)
    )
    return [i for i in db.session.scalars(stmt) if i.is_ready]
