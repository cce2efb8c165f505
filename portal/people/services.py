"""Admin use cases for localities, households and children: rules, one commit each, an audit event."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.people.events import carers_joined_locality
from portal.people.models import (
    CarerType,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Locality,
    Placement,
)
from portal.people.policy import can_manage_people
from portal.people.queries import current_placements

MAX_CARERS = 2


class PeopleRuleError(ValueError):
    """A rule a change breaks, with the form field it belongs to and a message for the person who made it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def require_admin(actor: User) -> None:
    if not can_manage_people(actor):
        raise PermissionError("only admins change households, children and placements")


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _flush(field: str, message: str) -> None:
    # A unique value taken between our check and the write (two admins at once) is refused the same way; the unit
    # of work rolls the rest back.
    try:
        db.session.flush()
    except IntegrityError:
        raise PeopleRuleError(field, message) from None


def row_by_id(model, object_id: int | None):
    return None if not object_id else db.session.scalar(select(model).where(model.id == object_id))


def _user_with_role(user_id: int | None, role: Role, field: str, message: str) -> User | None:
    if user_id is None:
        return None
    user = row_by_id(User, user_id)
    if user is None or not user.is_active or not user.has_role(role):
        raise PeopleRuleError(field, message)
    return user


def changed_fields(obj, values: dict) -> list[str]:
    """Set the values that differ and return their names (names only: the audit trail keeps no personal values)."""
    fields = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            fields.append(name)
    return fields


# Localities


@transactional
def add_locality(actor: User, name: str) -> Locality:
    require_admin(actor)
    name = _clean(name)
    if not name:
        raise PeopleRuleError("name", "Enter the name of the area")
    taken = "There is already an area called " + name
    if db.session.scalar(select(Locality.id).where(func.lower(Locality.name) == name.lower())):
        raise PeopleRuleError("name", taken)
    locality = Locality(name=name)
    db.session.add(locality)
    db.session.flush()
    audit.record(db.session, "locality_created", actor_id=actor.id, object_type="locality", object_id=locality.id)
    _flush("name", taken)
    return locality


# Households


def _carers(carer_ids: list[int], household: Household | None) -> list[User]:
    ids = list(dict.fromkeys(i for i in carer_ids if i))  # keeps order, drops blanks and the same person twice
    if not ids:
        raise PeopleRuleError("carer_1", "Choose the household's carer")
    if len(ids) > MAX_CARERS:
        raise PeopleRuleError("carer_2", "A household has one or two carers, not more")
    carers = []
    for field, user_id in zip(("carer_1", "carer_2"), ids):
        user = row_by_id(User, user_id)
        if user is None or not user.is_active or not user.has_role(Role.CARER, Role.APPLICANT):
            raise PeopleRuleError(field, "Choose a person who is an approved carer or an applicant")
        other = db.session.scalar(select(Household).join(HouseholdMember).where(HouseholdMember.user_id == user.id))
        if other is not None and (household is None or other.id != household.id):
            raise PeopleRuleError(
                field,
                f"{user.full_name} is already a carer in the {other.name} ({other.reference}). "
                "A carer belongs to one household",
            )
        carers.append(user)
    return carers


def _check_reference(reference: str | None, household: Household | None) -> str:
    if not reference:
        raise PeopleRuleError("reference", "Enter the household's reference")
    stmt = select(Household.id).where(func.lower(Household.reference) == reference.lower())
    if household is not None:
        stmt = stmt.where(Household.id != household.id)
    if db.session.scalar(stmt):
        raise PeopleRuleError("reference", f"Another household already has the reference {reference}")
    return reference


def _household_values(
    *,
    name: str,
    reference: str,
    carer_type: str,
    locality_id: int,
    approval_date: date | None,
    ssw_id: int | None,
    household: Household | None,
) -> dict:
    name = _clean(name)
    if not name:
        raise PeopleRuleError("name", "Enter the household's name")
    if carer_type not in set(CarerType):
        raise PeopleRuleError("carer_type", "Choose the type of fostering")
    if row_by_id(Locality, locality_id) is None:
        raise PeopleRuleError("locality_id", "Choose the area the household lives in")
    if approval_date is not None and approval_date > today():
        raise PeopleRuleError("approval_date", "The approval date must be today or in the past")
    _user_with_role(ssw_id, Role.SSW, "ssw_id", "Choose a supervising social worker")
    return {
        "name": name,
        "reference": _check_reference(_clean(reference), household),
        "carer_type": str(carer_type),
        "locality_id": locality_id,
        "approval_date": approval_date,
        "ssw_id": ssw_id,
    }


@transactional
def add_household(
    actor: User,
    *,
    name: str,
    reference: str,
    carer_ids: list[int],
    carer_type: str,
    locality_id: int,
    approval_date: date | None,
    ssw_id: int | None,
) -> Household:
    require_admin(actor)
    values = _household_values(
        name=name,
        reference=reference,
        carer_type=carer_type,
        locality_id=locality_id,
        approval_date=approval_date,
        ssw_id=ssw_id,
        household=None,
    )
    carers = _carers(carer_ids, None)
    household = Household(**values, status=HouseholdStatus.ACTIVE.value)
    household.members = [HouseholdMember(user=u) for u in carers]
    db.session.add(household)
    db.session.flush()
    audit.record(
        db.session,
        "household_created",
        actor_id=actor.id,
        object_type="household",
        object_id=household.id,
        carers=len(carers),
    )
    _flush("carer_1", "One of these carers was just linked to another household. Check and try again")
    carers_joined_locality(u.id for u in carers)
    return household


@transactional
def change_household(
    actor: User,
    household: Household,
    *,
    name: str,
    reference: str,
    carer_ids: list[int],
    carer_type: str,
    locality_id: int,
    approval_date: date | None,
    ssw_id: int | None,
    status: str,
    status_reason: str | None = None,
) -> list[str]:
    """Apply an admin's edit; returns the names of the fields that changed (none: nothing is written)."""
    require_admin(actor)
    values = _household_values(
        name=name,
        reference=reference,
        carer_type=carer_type,
        locality_id=locality_id,
        approval_date=approval_date,
        ssw_id=ssw_id,
        household=household,
    )
    carers = _carers(carer_ids, household)
    if status not in set(HouseholdStatus):
        raise PeopleRuleError("status", "Choose the household's status")
    reason = _clean(status_reason)
    old_status = household.status
    if status == HouseholdStatus.ON_HOLD and old_status != HouseholdStatus.ON_HOLD and not reason:
        raise PeopleRuleError("status_reason", "Enter the reason for putting the household on hold")
    if reason and len(reason) > 500:
        raise PeopleRuleError("status_reason", "The reason must be 500 characters or fewer")
    if status == HouseholdStatus.RESIGNED and old_status != HouseholdStatus.RESIGNED and current_placements(household):
        raise PeopleRuleError(
            "status",
            "Children are still placed with this household. End their placements "
            "before recording that the household has resigned",
        )
    values["status"] = str(status)
    values["status_reason"] = (reason or household.status_reason) if status == HouseholdStatus.ON_HOLD else None
    old_locality, old_carer_ids = household.locality_id, {m.user_id for m in household.members}
    fields = changed_fields(household, values)
    if {m.user_id for m in household.members} != {u.id for u in carers}:
        keep = {m.user_id: m for m in household.members}
        household.members = [keep.get(u.id) or HouseholdMember(user=u) for u in carers]
        fields.append("carers")
    if not fields:
        return []
    audit.record(
        db.session,
        "household_changed",
        actor_id=actor.id,
        object_type="household",
        object_id=household.id,
        fields=sorted(fields),
    )
    if old_status != household.status:
        audit.record(
            db.session,
            "household_status_changed",
            actor_id=actor.id,
            object_type="household",
            object_id=household.id,
            from_status=old_status,
            to_status=household.status,
            reason=reason if household.status == HouseholdStatus.ON_HOLD else None,
        )
    _flush("reference", "Another household already has this reference or one of these carers")
    moved = household.locality_id != old_locality
    carers_joined_locality(u.id for u in carers if moved or u.id not in old_carer_ids)
    return sorted(fields)


# Children


def _child_values(
    *,
    first_name: str,
    last_name: str,
    preferred_name: str | None,
    date_of_birth: date,
    case_reference: str,
    social_worker_id: int | None,
    young_person_user_id: int | None,
    child: Child | None,
) -> dict:
    first, last, reference = _clean(first_name), _clean(last_name), _clean(case_reference)
    if not first:
        raise PeopleRuleError("first_name", "Enter the child's first name")
    if not last:
        raise PeopleRuleError("last_name", "Enter the child's last name")
    if date_of_birth is None:
        raise PeopleRuleError("date_of_birth", "Enter the date of birth")
    if date_of_birth > today():
        raise PeopleRuleError("date_of_birth", "The date of birth must be today or in the past")
    if not reference:
        raise PeopleRuleError("case_reference", "Enter the child's case reference")
    stmt = select(Child.id).where(func.lower(Child.case_reference) == reference.lower())
    if child is not None:
        stmt = stmt.where(Child.id != child.id)
        earliest = db.session.scalar(select(func.min(Placement.start_date)).where(Placement.child_id == child.id))
        if earliest is not None and date_of_birth > earliest:
            raise PeopleRuleError(
                "date_of_birth", f"The date of birth must be before the first placement began on {uk_date(earliest)}"
            )
    if db.session.scalar(stmt):
        raise PeopleRuleError("case_reference", f"Another child already has the case reference {reference}")
    _user_with_role(social_worker_id, Role.CHILD_SW, "social_worker_id", "Choose a child's social worker")
    young_person = _user_with_role(
        young_person_user_id, Role.YOUNG_PERSON, "young_person_user_id", "Choose an account with the young person role"
    )
    if young_person is not None:
        taken = select(Child.id).where(Child.young_person_user_id == young_person.id)
        if child is not None:
            taken = taken.where(Child.id != child.id)
        if db.session.scalar(taken):
            raise PeopleRuleError("young_person_user_id", "That account is already linked to another child")
    return {
        "first_name": first,
        "last_name": last,
        "preferred_name": _clean(preferred_name),
        "date_of_birth": date_of_birth,
        "case_reference": reference,
        "social_worker_id": social_worker_id,
        "young_person_user_id": young_person_user_id,
    }


@transactional
def add_child(actor: User, **fields) -> Child:
    require_admin(actor)
    child = Child(**_child_values(**fields, child=None))
    db.session.add(child)
    db.session.flush()
    audit.record(db.session, "child_created", actor_id=actor.id, object_type="child", object_id=child.id)
    _flush("case_reference", "Another child already has this case reference")
    return child


@transactional
def change_child(actor: User, child: Child, **fields) -> list[str]:
    require_admin(actor)
    changed = changed_fields(child, _child_values(**fields, child=child))
    if not changed:
        return []
    audit.record(
        db.session, "child_changed", actor_id=actor.id, object_type="child", object_id=child.id, fields=sorted(changed)
    )
    _flush("case_reference", "Another child already has this case reference")
    return sorted(changed)
