"""Plain functions that make the rows tests need: no factory framework, no hidden defaults that matter."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from portal.auth.models import User, UserRole
from portal.auth.roles import STAFF_ROLES, Role
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.security import hash_password
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from portal.people.models import Child, Household, HouseholdMember, Locality, Placement

_seq = itertools.count(1)


def make_user(
    *roles: Role,
    email: str | None = None,
    name: str | None = None,
    password: str = DEMO_PASSWORD,
    mfa: bool | None = None,
    active: bool = True,
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"person{n}@example.org",
        full_name=name or f"Person {n}",
        password_hash=hash_password(password),
        is_active=active,
        password_changed_at=utcnow(),
    )
    user.role_rows = [UserRole(role=Role(r).value) for r in roles]
    if mfa if mfa is not None else bool(set(roles) & STAFF_ROLES):
        user.totp_secret = DEMO_TOTP_SECRET
        user.mfa_enabled_at = utcnow()
    db.session.add(user)
    db.session.commit()
    return user


def make_locality(name: str | None = None) -> Locality:
    loc = Locality(name=name or f"Locality {next(_seq)}")
    db.session.add(loc)
    db.session.commit()
    return loc


def make_household(
    *carers: User,
    ssw: User | None = None,
    carer_type: str = "mainstream",
    locality: Locality | None = None,
    approval_date: date | None = None,
    status: str = "active",
    name: str | None = None,
) -> Household:
    n = next(_seq)
    h = Household(
        name=name or f"Household {n}",
        reference=f"FH-T{n}",
        carer_type=carer_type,
        locality=locality or make_locality(),
        approval_date=approval_date or today() - timedelta(days=400),
        status=status,
        ssw=ssw,
    )
    h.members = [HouseholdMember(user=c) for c in carers]
    db.session.add(h)
    db.session.commit()
    return h


def make_carer_household(**household_kwargs) -> tuple[User, Household]:
    carer = make_user(Role.CARER)
    return carer, make_household(carer, **household_kwargs)


def make_child(
    *,
    social_worker: User | None = None,
    born: date | None = None,
    first_name: str | None = None,
    young_person: User | None = None,
) -> Child:
    n = next(_seq)
    child = Child(
        first_name=first_name or f"Child{n}",
        last_name="Test",
        date_of_birth=born or today() - timedelta(days=365 * 8),
        case_reference=f"LAC-T{n}",
        social_worker=social_worker,
        young_person_user_id=young_person.id if young_person else None,
    )
    db.session.add(child)
    db.session.commit()
    return child


def place(
    child: Child,
    household: Household,
    *,
    start: date | None = None,
    end: date | None = None,
    placement_type: str = "long_term",
) -> Placement:
    p = Placement(
        child=child,
        household=household,
        start_date=start or today() - timedelta(days=30),
        end_date=end,
        placement_type=placement_type,
    )
    db.session.add(p)
    db.session.commit()
    return p


@dataclass
class Family:
    """A child placed now with a carer household, the household's SSW and the child's social worker."""

    carer: User
    household: Household
    child: Child
    placement: Placement
    ssw: User
    social_worker: User
    young_person: User | None = None


def make_family(*, first_name: str = "Millie", born: date | None = None, with_young_person: bool = False) -> Family:
    ssw = make_user(Role.SSW)
    social_worker = make_user(Role.CHILD_SW)
    carer = make_user(Role.CARER)
    young_person = make_user(Role.YOUNG_PERSON) if with_young_person else None
    household = make_household(carer, ssw=ssw)
    child = make_child(social_worker=social_worker, first_name=first_name, young_person=young_person, born=born)
    placement = place(child, household)
    return Family(carer, household, child, placement, ssw, social_worker, young_person)
