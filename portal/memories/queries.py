"""Memory boxes and items a user may see: boxes follow placements, caseloads and grants (the timeline of one box is
read in timeline.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, and_, bindparam, exists, false, or_, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db, unindexed
from portal.core.pagination import PER_PAGE, Page, paginate
from portal.core.uploads import READY, StoredFile
from portal.memories.models import APPROVED, PENDING, MemoryBoxAccess, MemoryExport, MemoryItem
from portal.people.models import Child, Household, HouseholdMember, Placement
from portal.people.queries import current_placement_clause


def _placed_in(households, on: date):
    return exists().where(
        Placement.child_id == Child.id, current_placement_clause(on), Placement.household_id.in_(households)
    )


# The reader and the day, bound when a box statement runs (the reader's roles choose the statement's shape).
READER, ON = bindparam("reader_id"), bindparam("on")
_BOX_ROLES = frozenset({Role.ADMIN, Role.CARER, Role.SSW, Role.CHILD_SW, Role.YOUNG_PERSON})
_children, _placements = Child.__table__.c, Placement.__table__.c
_members, _households, _grants = HouseholdMember.__table__.c, Household.__table__.c, MemoryBoxAccess.__table__.c


def box_roles(user: User) -> frozenset[Role]:
    """The roles of `user` that open memory boxes: the key of the statements built once for each set of roles."""
    return user.roles & _BOX_ROLES


def _placed_with(households):
    return exists().where(
        _placements.child_id == _children.id,
        current_placement_clause(ON, _placements),
        _placements.household_id.in_(households),
    )


def _found_placed_in(households):
    """The children placed now in `households`, found from those households' placements (from
    ix_placements_household_dates alone): for a list, what the households hold, not every child tested."""
    return _children.id.in_(
        select(_placements.child_id).where(
            _placements.household_id.in_(households), current_placement_clause(ON, _placements)
        )
    )


@cache
def box_rule(roles: frozenset[Role], *, listing: bool = False):
    """Which children's boxes a reader with these roles (box_roles) may open, as a clause on children that binds
    READER (`reader_id`) and ON (`on`, the day), or None for an admin (every box). Never by history: an ended
    placement gives nothing. Built once for each set of roles (and shape), not for each request.

    `listing=True` gives the same children shaped for listing them all: a carer's or a supervising social worker's
    found from their households' current placements (what the households hold, not every child tested); unshaped,
    each child is tested, which suits a check of one box."""
    if Role.ADMIN in roles:
        return None
    clauses = []
    if Role.CARER in roles:
        carers = select(_members.household_id).where(_members.user_id == READER)
        clauses.append(_found_placed_in(carers) if listing else _placed_with(carers))
    if Role.SSW in roles:
        supervised = select(_households.id).where(_households.ssw_id == READER)
        clauses.append(_found_placed_in(supervised) if listing else _placed_with(supervised))
    if Role.CHILD_SW in roles:
        clauses.append(_children.social_worker_id == READER)
    if Role.YOUNG_PERSON in roles:
        # The young person linked to the child, with an unrevoked grant from the child's social worker.
        granted = exists().where(
            _grants.child_id == _children.id, _grants.young_person_user_id == READER, _grants.revoked_at.is_(None)
        )
        clauses.append(and_(_children.young_person_user_id == READER, granted))
    return or_(*clauses) if clauses else false()


def boxes_visible_to(user: User, on: date | None = None) -> Select[tuple[Child]]:
    """Children whose memory box the user may open (box_rule, with the user and the day bound)."""
    rule = box_rule(box_roles(user))
    if rule is None:
        return select(Child)
    return select(Child).where(rule).params(reader_id=user.id, on=on or today())


BOXES_COUNTED = 1000  # more boxes than anyone but an admin may open: the count stays bounded however the service grows
_BY_NAME = (Child.first_name, Child.last_name, Child.id)


def box_children(user: User, page: int = 1, per_page: int = PER_PAGE) -> Page[Child]:
    """One page of the children whose boxes the user may open, by name (a whole service's boxes, for an admin),
    counted up to BOXES_COUNTED (an admin's, in full). A carer's or supervising social worker's are found from their
    households' placements and only those sorted: the list costs what their households hold, however large the
    service (a page read in name order from every child, each tested, would cost the service's size divided by
    their share of it)."""
    roles = box_roles(user)
    if Role.ADMIN in roles:
        return paginate(select(Child).order_by(*_BY_NAME), page, per_page)  # the count reads an index alone
    bound = {"reader_id": user.id, "on": today()}
    listed = box_rule(roles, listing=True)
    return paginate(
        select(Child).where(listed).order_by(*_BY_NAME).params(bound),
        page,
        per_page,
        count_of=select(Child.id).where(listed).params(bound),
        count_up_to=BOXES_COUNTED,
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
            # Not through the moderation queue's index (status, created_at): planning without statistics, SQLite
            # took it and read every approved memory in the service (1.4 ms at 100 times the data, against 0.15 ms);
            # the timeline index reads only these children's items on these days.
            unindexed(items.status) == APPROVED,
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
        .where(
            MemoryItem.child_id == child.id, unindexed(MemoryItem.status) == APPROVED, MemoryItem.hidden_at.is_(None)
        )
        .order_by(MemoryItem.memory_date, MemoryItem.id)
    )
    return [i for i in db.session.scalars(stmt) if i.is_ready]
