"""Log entries and household documents a user may see. Business support and young people see no logs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.people.models import Child, Household, Placement
from portal.people.queries import current_placement_clause, household_ids_of_carer
from portal.records.models import Folder, HouseholdDocument, LogEntry, LogRead

STAFF_ONLY_FOLDERS = frozenset()  # every folder of a household's cabinet is open to its carers


def logs_visible_to(user: User, on: date | None = None) -> Select[tuple[LogEntry]]:
    """Carers: what their household wrote about a child placed with them now. SSW: their caseload's entries.
    Child's social worker: every entry about their children. Admin: all."""
    stmt = select(LogEntry)
    if user.has_role(Role.ADMIN):
        return stmt
    on = on or today()
    clauses = []
    if user.has_role(Role.CARER):
        clauses.append(
            and_(
                # A carer belongs to one household (household_members.user_id is unique): an equality, so their
                # household's entries are walked newest first in index order rather than all read and sorted.
                LogEntry.household_id == household_ids_of_carer(user).scalar_subquery(),
                exists().where(
                    Placement.child_id == LogEntry.child_id,
                    Placement.household_id == LogEntry.household_id,
                    current_placement_clause(on),
                ),
            )
        )
    if user.has_role(Role.SSW):
        clauses.append(LogEntry.household_id.in_(select(Household.id).where(Household.ssw_id == user.id)))
    if user.has_role(Role.CHILD_SW):
        clauses.append(LogEntry.child_id.in_(select(Child.id).where(Child.social_worker_id == user.id)))
    return stmt.where(or_(*clauses) if clauses else false())


def unread_clause(user: User):
    return ~exists().where(LogRead.log_entry_id == LogEntry.id, LogRead.user_id == user.id)


def filtered_logs(
    user: User,
    *,
    child_id: int | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    unread_only: bool = False,
):
    stmt = logs_visible_to(user).where(LogEntry.addendum_to_id.is_(None))
    if child_id:
        stmt = stmt.where(LogEntry.child_id == child_id)
    if category:
        stmt = stmt.where(LogEntry.category == category)
    if date_from:
        stmt = stmt.where(LogEntry.entry_date >= date_from)
    if date_to:
        stmt = stmt.where(LogEntry.entry_date <= date_to)
    if unread_only:
        stmt = stmt.where(unread_clause(user))
    return stmt.order_by(LogEntry.entry_date.desc(), LogEntry.created_at.desc())


def page_of_logs(listed: Select[tuple[LogEntry]], number: int, *, count_up_to: int) -> Page[LogEntry]:
    """One page of `listed` (filtered_logs), counted up to `count_up_to` (paginate's cap), in two steps: the page's
    ids, sorted from the newest-first indexes alone (ix_log_entries_household_newest, ..._child_newest), then
    those entries with their child and author. Joining every candidate entry to its child and author before the
    sort is what made a caseload's list cost what the caseload had written (issue 12). Three queries."""
    ids = listed.with_only_columns(LogEntry.id)
    page = paginate(ids, number, count_of=ids, count_up_to=count_up_to)
    if page.items:
        found = {e.id: e for e in db.session.scalars(select(LogEntry).where(LogEntry.id.in_(page.items)))}
        page.items = [found[i] for i in page.items if i in found]
    return page


def read_entry_ids(user: User, entry_ids: list[int]) -> set[int]:
    if not entry_ids:
        return set()
    return set(
        db.session.scalars(
            select(LogRead.log_entry_id).where(LogRead.user_id == user.id, LogRead.log_entry_id.in_(entry_ids))
        )
    )


def cabinet_households_visible_to(user: User) -> Select[tuple[Household]]:
    """Whose cabinet a user may open: carers their own, an SSW their caseload, admins all."""
    stmt = select(Household)
    if user.has_role(Role.ADMIN):
        return stmt
    clauses = []
    if user.has_role(Role.CARER):
        clauses.append(Household.id.in_(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(Household.ssw_id == user.id)
    return stmt.where(or_(*clauses) if clauses else false())


def documents_visible_to(user: User) -> Select[tuple[HouseholdDocument]]:
    readable = cabinet_households_visible_to(user).with_only_columns(Household.id)
    clauses = [HouseholdDocument.household_id.in_(readable)]
    if user.has_role(Role.BUSINESS_SUPPORT):
        # Business support file supervision and review records: they see what they filed, nothing else.
        clauses.append(HouseholdDocument.created_by_id == user.id)
    return select(HouseholdDocument).where(or_(*clauses))


def folder_documents(user: User, household_id: int, folder: Folder | None = None):
    stmt = documents_visible_to(user).where(HouseholdDocument.household_id == household_id)
    if folder:
        stmt = stmt.where(HouseholdDocument.folder == folder)
    return stmt.order_by(HouseholdDocument.document_date.desc(), HouseholdDocument.id.desc())


def cabinet_summary(user: User, household_id: int, per_folder: int = 5):
    """The newest `per_folder` documents of each folder and each folder's count, in two queries whatever the
    cabinet holds: ({folder value: [documents]}, {folder value: count})."""
    newest = (
        func.row_number()
        .over(
            partition_by=HouseholdDocument.folder,
            order_by=(HouseholdDocument.document_date.desc(), HouseholdDocument.id.desc()),
        )
        .label("newest")
    )
    ranked = (
        documents_visible_to(user).where(HouseholdDocument.household_id == household_id).add_columns(newest).subquery()
    )
    document = aliased(HouseholdDocument, ranked)
    shown: dict[str, list[HouseholdDocument]] = {}
    stmt = select(document).where(ranked.c.newest <= per_folder).order_by(ranked.c.folder, ranked.c.newest)
    for doc in db.session.scalars(stmt):
        shown.setdefault(doc.folder, []).append(doc)
    counts = dict(
        db.session.execute(
            documents_visible_to(user)
            .where(HouseholdDocument.household_id == household_id)
            .with_only_columns(HouseholdDocument.folder, func.count(HouseholdDocument.id))
            .group_by(HouseholdDocument.folder)
        ).all()
    )
    return shown, counts
