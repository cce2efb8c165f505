"""Who may write, read and act on logs and household documents; loaders 404 for what a user may not see."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.refusals import not_found
from portal.people.models import Child, Household, Placement
from portal.people.queries import (
    children_visible_to,
    current_placement_clause,
    household_ids_of_carer,
    households_visible_to,
)
from portal.records.models import Folder, HouseholdDocument, LogEntry
from portal.records.queries import cabinet_households_visible_to, documents_visible_to, logs_visible_to

CARER_FOLDERS = frozenset(
    {
        Folder.HOUSEHOLD_PROFILE,
        Folder.SAFE_CARING_POLICY,
        Folder.FOSTER_CARER_AGREEMENT,
        Folder.FIRE_ESCAPE_PLAN,
        Folder.TRAINING_CERTIFICATES,
        Folder.OTHER,
    }
)
STAFF_FOLDERS = frozenset({Folder.SUPERVISION_RECORDS, Folder.ANNUAL_REVIEW})


def is_reviewer(user: User) -> bool:
    return user.has_role(Role.SSW, Role.CHILD_SW, Role.ADMIN)


def children_carer_can_log(user: User) -> list[Child]:
    """Only children placed with the carer's household now."""
    if not user.has_role(Role.CARER):
        return []
    stmt = (
        select(Child)
        .join(Placement, Placement.child_id == Child.id)
        .where(Placement.household_id.in_(household_ids_of_carer(user)), current_placement_clause(today()))
        .order_by(Child.first_name)
    )
    return list(db.session.scalars(stmt).unique())


def load_log_entry(user: User, entry_id: int) -> LogEntry:
    entry = db.session.scalar(logs_visible_to(user).where(LogEntry.id == entry_id))
    if entry is None:
        not_found(user, "log_entry", entry_id)
    return entry


def load_loggable_child(user: User, child_id: int) -> Child:
    child = next((c for c in children_carer_can_log(user) if c.id == child_id), None)
    if child is None:
        not_found(user, "child", child_id)
    return child


def load_child_for_logs(user: User, child_id: int) -> Child:
    """The routes that use this are gated to carers and reviewers; young people never reach it."""
    child = db.session.scalar(children_visible_to(user).where(Child.id == child_id))
    if child is None:
        not_found(user, "child", child_id)
    return child


def folders_user_may_upload_to(user: User, household: Household) -> list[Folder]:
    folders: set[Folder] = set()
    if user.has_role(Role.CARER) and any(m.user_id == user.id for m in household.members):
        folders |= CARER_FOLDERS
    if user.has_role(Role.ADMIN) or (user.has_role(Role.SSW) and household.ssw_id == user.id):
        folders |= CARER_FOLDERS | STAFF_FOLDERS
    if user.has_role(Role.BUSINESS_SUPPORT):
        folders |= STAFF_FOLDERS
    return [f for f in Folder if f in folders]


def load_cabinet_household(user: User, household_id: int) -> Household:
    household = db.session.scalar(cabinet_households_visible_to(user).where(Household.id == household_id))
    if household is None and user.has_role(Role.BUSINESS_SUPPORT):
        household = db.session.scalar(households_visible_to(user).where(Household.id == household_id))
    if household is None:
        not_found(user, "household", household_id)
    return household


def load_document(user: User, document_id: int) -> HouseholdDocument:
    document = db.session.scalar(documents_visible_to(user).where(HouseholdDocument.id == document_id))
    if document is None:
        not_found(user, "document", document_id)
    return document
