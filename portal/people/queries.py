"""Households, children and placements a given user may see. Every list in Hearth about people starts here."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, case, extract, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.people.attention import annual_review_due
from portal.people.models import Child, Household, HouseholdMember, HouseholdStatus, Locality, Placement


def current_placement_clause(on: date, placement=Placement):
    """`placement` (the model, or an alias of it) is running on `on`: started, and not yet ended."""
    return and_(placement.start_date <= on, or_(placement.end_date.is_(None), placement.end_date > on))


def household_ids_of_carer(user: User):
    return select(HouseholdMember.household_id).where(HouseholdMember.user_id == user.id)


def households_visible_to(user: User, *, counting: bool = False) -> Select[tuple[Household]]:
    """Households the user may see. `counting=True` selects the same rows shaped for counting them all: a child's
    social worker's households are then found from their children's placements rather than every household tested
    (which a page in name order, stopping at 25, is better served by)."""
    stmt = select(Household)
    if user.has_role(Role.ADMIN, Role.BUSINESS_SUPPORT):
        return stmt
    on = today()
    clauses = []
    if user.has_role(Role.CARER):
        clauses.append(Household.id.in_(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(Household.ssw_id == user.id)
    if user.has_role(Role.CHILD_SW):
        placement, child = aliased(Placement), aliased(Child)
        theirs_now = (child.social_worker_id == user.id, current_placement_clause(on, placement))
        allocated = select(placement.household_id).join(child, child.id == placement.child_id).where(*theirs_now)
        if counting:
            # From their children (index on social_worker_id) to those children's placements (index on child_id):
            # a count that costs what they are allocated, not every household tested (issue 12).
            clauses.append(Household.id.in_(allocated))
        else:
            # A page in name order tests households until it is full: from each household to its placements
            # (index on household_id), each child found by its key; never a list of all their children built first.
            clauses.append(allocated.where(placement.household_id == Household.id).correlate(Household).exists())
    return stmt.where(or_(*clauses) if clauses else false())


def children_visible_to(user: User, on: date | None = None, *, listing: bool = False) -> Select[tuple[Child]]:
    """Children whose records the user may read: by current placement, caseload or allocation — never by history.
    `listing=True` selects the same rows shaped for sorting or counting them all: a supervising social worker's
    children are then found from their households' current placements, rather than every child in the service
    tested (which a search, or a check of a few children by id, is better served by)."""
    stmt = select(Child)
    if user.has_role(Role.ADMIN):
        return stmt
    on = on or today()
    clauses = []
    if user.has_role(Role.CARER):
        # From the carer's membership to their household's current placements (both indexed), so the few children
        # placed with them are found by key rather than every child tested for a placement with them.
        member, placement = aliased(HouseholdMember), aliased(Placement)
        clauses.append(
            Child.id.in_(
                select(placement.child_id)
                .join(member, member.household_id == placement.household_id)
                .where(member.user_id == user.id, current_placement_clause(on, placement))
            )
        )
    if user.has_role(Role.SSW):
        household = aliased(Household)
        if listing:
            # From their households (index on ssw_id) to those households' current placements (index on
            # household_id): a list costs what their caseload holds, not every child in the service tested.
            placement = aliased(Placement)
            caseload = (
                select(placement.child_id)
                .join(household, household.id == placement.household_id)
                .where(household.ssw_id == user.id, current_placement_clause(on, placement))
            )
            clauses.append(Child.id.in_(caseload))
        else:
            clauses.append(_placed_now(on, household, household.id, household.ssw_id == user.id))
    if user.has_role(Role.CHILD_SW):
        clauses.append(Child.social_worker_id == user.id)
    if user.has_role(Role.YOUNG_PERSON):
        clauses.append(Child.young_person_user_id == user.id)
    return stmt.where(or_(*clauses) if clauses else false())


def _placed_now(on: date, other, household_id, condition):
    """The child lives now in a household that `condition` holds for (on `other`, an alias joined by its
    `household_id`): EXISTS from the child's placements (index on child_id) to that row by an indexed column, so a
    search pays for the children it looks at, not for every child placed with the person's households."""
    placement = aliased(Placement)
    return (
        select(placement.id)
        .join(other, household_id == placement.household_id)
        .where(placement.child_id == Child.id, current_placement_clause(on, placement), condition)
        .correlate(Child)
        .exists()
    )


def household_of(user: User) -> Household | None:
    return db.session.scalar(select(Household).join(HouseholdMember).where(HouseholdMember.user_id == user.id))


def current_placements(household: Household, on: date | None = None) -> list[Placement]:
    """The household's placements running on `on`, each with its child loaded (one query however many)."""
    on = on or today()
    return list(
        db.session.scalars(
            select(Placement)
            .options(joinedload(Placement.child))
            .where(Placement.household_id == household.id, current_placement_clause(on))
            .order_by(Placement.start_date)
        )
    )


def caseload(user: User) -> list[Household]:
    return list(db.session.scalars(select(Household).where(Household.ssw_id == user.id).order_by(Household.name)))


def allocated_children(user: User, on: date | None = None, page: int = 1) -> Page[tuple[Child, Placement | None]]:
    """One page of a child's social worker's children by first name, each with their current placement (or None)
    and its household, in a fixed number of queries however many children there are: read in name order from
    ix_children_social_worker_name, counted without the placements and only up to ALLOCATED_COUNTED."""
    on = on or today()
    current = aliased(Placement)
    mine = Child.social_worker_id == user.id
    stmt = (
        select(Child, current)
        .outerjoin(current, and_(current.child_id == Child.id, current_placement_clause(on, current)))
        .options(joinedload(current.household))
        .where(mine)
        .order_by(Child.first_name, Child.last_name, Child.id)
    )
    return paginate(stmt, page, rows=True, count_of=select(Child.id).where(mine), count_up_to=ALLOCATED_COUNTED)


ALLOCATED_COUNTED = 1000  # far more than any one social worker holds: the count stays cheap however the service grows


def _contains(column, text: str):
    # Typed text is matched literally: % and _ are not wildcards to the person searching.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def filter_households(
    stmt: Select, *, search: str = "", locality_id: int | None = None, status: str = "", carer_type: str = ""
) -> Select:
    """Narrow a scoped household query; it never widens what the user may see."""
    if search:
        stmt = stmt.where(or_(_contains(Household.name, search), _contains(Household.reference, search)))
    if locality_id:
        stmt = stmt.where(Household.locality_id == locality_id)
    if status:
        stmt = stmt.where(Household.status == status)
    if carer_type:
        stmt = stmt.where(Household.carer_type == carer_type)
    return stmt


def filter_children(stmt: Select, *, search: str = "") -> Select:
    if search:
        stmt = stmt.where(
            or_(
                *(
                    _contains(c, search)
                    for c in (Child.first_name, Child.last_name, Child.preferred_name, Child.case_reference)
                )
            )
        )
    return stmt


def visible_child_ids(user: User, child_ids: set[int]) -> set[int]:
    """Which of these children the user may see (to name and link them, or count them without a name)."""
    if not child_ids:
        return set()
    return set(db.session.scalars(children_visible_to(user).where(Child.id.in_(child_ids)).with_only_columns(Child.id)))


def past_placements(household: Household, on: date | None = None) -> list[Placement]:
    on = on or today()
    return list(
        db.session.scalars(
            select(Placement)
            .options(joinedload(Placement.child))
            .where(Placement.household_id == household.id, Placement.end_date.is_not(None), Placement.end_date <= on)
            .order_by(Placement.end_date.desc())
        )
    )


def current_placement_of(child: Child, on: date | None = None) -> Placement | None:
    on = on or today()
    return next((p for p in child.placements if p.is_current(on)), None)


def clashing_placements(
    child_id: int, start: date, end: date | None, *, exclude_id: int | None = None
) -> list[Placement]:
    """Placements of the child whose [start, end) shares at least one night with [start, end); open ends run forever."""
    stmt = select(Placement).where(
        Placement.child_id == child_id, or_(Placement.end_date.is_(None), Placement.end_date > start)
    )
    if end is not None:
        stmt = stmt.where(Placement.start_date < end)
    if exclude_id is not None:
        stmt = stmt.where(Placement.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Placement.start_date)))


def _next_review_order(on: date):
    """Sort keys putting households in the order of their next annual review (portal.people.attention), in SQL:
    the approval's month and day still to come this year first, then those that come round next year, then the
    households not yet approved. (A review falls on the approval's anniversary, so month and day order them.)"""
    month_day = extract("month", Household.approval_date) * 100 + extract("day", Household.approval_date)
    today_md = on.month * 100 + on.day
    return (
        Household.approval_date.is_(None),
        case((month_day >= today_md, 0), else_=1),
        month_day,
        Household.name,
        Household.id,
    )


def caseload_summary(user: User, on: date | None = None, page: int = 1) -> Page[dict]:
    """One page of an SSW's households with status, children placed now and next review, soonest review first."""
    on = on or today()
    found = paginate(
        select(Household).where(Household.ssw_id == user.id).order_by(*_next_review_order(on)), page, per_page=10
    )
    households = found.items
    counts = (
        dict(
            db.session.execute(
                select(Placement.household_id, func.count(Placement.id))
                .where(Placement.household_id.in_([h.id for h in households]), current_placement_clause(on))
                .group_by(Placement.household_id)
            ).all()
        )
        if households
        else {}
    )
    found.items = [
        {"household": h, "children": counts.get(h.id, 0), "review_due": annual_review_due(h, on)} for h in households
    ]
    return found


def people_counts(on: date | None = None) -> dict[str, int]:
    """Service-wide totals for the admin home page."""
    on = on or today()
    by_status = dict(
        db.session.execute(select(Household.status, func.count(Household.id)).group_by(Household.status)).all()
    )
    return {
        "households_active": by_status.get(HouseholdStatus.ACTIVE.value, 0),
        "households_on_hold": by_status.get(HouseholdStatus.ON_HOLD.value, 0),
        "households_resigned": by_status.get(HouseholdStatus.RESIGNED.value, 0),
        "children": db.session.scalar(select(func.count(Child.id))) or 0,
        "placed_now": db.session.scalar(select(func.count(Placement.id)).where(current_placement_clause(on))) or 0,
        "localities": db.session.scalar(select(func.count(Locality.id))) or 0,
    }


# Built once: a statement keeps its cache key, so running it again skips building and keying it.
_LOCALITY_CHOICES = select(Locality.__table__.c.id, Locality.__table__.c.name).order_by(Locality.__table__.c.name)


def locality_choices() -> list[tuple[str, str]]:
    """Every locality as (id as text, name), by name, for a filter's select (localities name areas, not people):
    plain rows, no Locality entities."""
    return [(str(id_), name) for id_, name in db.session.execute(_LOCALITY_CHOICES)]


# Choices for the admin forms: who may be linked where. Admin-only pages; nothing here is shown to other roles.


def all_localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def households_by_id(ids: set[int]) -> dict[int, Household]:
    """The named households, by id (for pages about many households' lines, such as a pay run): one query per
    5,000, below any database's limit on bound parameters."""
    ordered, found = sorted(ids), {}
    for start in range(0, len(ordered), 5_000):
        chunk = ordered[start : start + 5_000]
        found.update((h.id, h) for h in db.session.scalars(select(Household).where(Household.id.in_(chunk))))
    return found


def visible_household_ids(user: User, household_ids: set[int]) -> set[int]:
    """Which of these households the user may open (to link a household's name, or not)."""
    if not household_ids:
        return set()
    return set(
        db.session.scalars(
            households_visible_to(user).where(Household.id.in_(household_ids)).with_only_columns(Household.id)
        )
    )


def own_household_ids(user: User) -> set[int]:
    """The household(s) the user is a carer in (a carer belongs to one; an empty set for everyone else)."""
    return set(db.session.scalars(household_ids_of_carer(user)))


def users_with_role(*roles: Role) -> list[User]:
    """Active people holding any of `roles`, by name: for choices among a service's staff or coordinators (tens of
    people, not its carers or children, which are chosen by type-ahead: portal.people.lookups)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.is_active.is_(True),
                User.id.in_(select(UserRole.user_id).where(UserRole.role.in_([r.value for r in roles]))),
            )
            .order_by(User.full_name)
        )
    )
