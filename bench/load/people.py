"""The people the load test signs in as, added beside the demo data: `CARERS` carers, each in a household of their
own with a child placed (no second factor: password only), and `STAFF` staff with the demo security-code secret
(business support deciding claims, supervising social workers reading logs). Every password is the demo password.

Idempotent. Run inside the app: `flask --app wsgi shell` is not needed; `python -m bench.load.people` does it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

CARERS = 200
SUPPORT = 14
SSWS = 6
STAFF = SUPPORT + SSWS


def carer_email(i: int) -> str:
    return f"load.carer{i:03d}@example.org"


def support_email(i: int) -> str:
    return f"load.support{i:02d}@example.org"


def ssw_email(i: int) -> str:
    return f"load.ssw{i:02d}@example.org"


def add_people() -> int:
    """Add whoever is missing; the number of accounts added."""
    from portal.auth.models import User, UserRole
    from portal.auth.roles import Role
    from portal.core.db import db, utcnow
    from portal.core.security import hash_password
    from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from portal.people.models import Child, Household, HouseholdMember, Locality, Placement

    existing = set(db.session.scalars(select(User.email).where(User.email.like("load.%"))))
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for everyone: the same password, hashed once
    now, added = utcnow(), 0

    def user(email: str, name: str, role: Role, *, totp: bool) -> User:
        person = User(email=email, full_name=name, password_hash=password_hash, password_changed_at=now)
        person.role_rows = [UserRole(role=role.value)]
        if totp:
            person.totp_secret, person.mfa_enabled_at = DEMO_TOTP_SECRET, now
        db.session.add(person)
        return person

    ssws = []
    for i in range(SSWS):
        if ssw_email(i) not in existing:
            ssws.append(user(ssw_email(i), f"Load SSW {i}", Role.SSW, totp=True))
            added += 1
    for i in range(SUPPORT):
        if support_email(i) not in existing:
            user(support_email(i), f"Load Support {i}", Role.BUSINESS_SUPPORT, totp=True)
            added += 1
    db.session.flush()
    ssws = ssws or list(db.session.scalars(select(User).where(User.email.like("load.ssw%"))))
    locality = db.session.scalars(select(Locality).order_by(Locality.id)).first()
    today = date.today()
    for i in range(CARERS):
        if carer_email(i) in existing:
            continue
        carer = user(carer_email(i), f"Load Carer {i}", Role.CARER, totp=False)
        household = Household(
            name=f"Load household {i}",
            reference=f"FH-L{i:04d}",
            carer_type="mainstream",
            locality=locality,
            approval_date=today - timedelta(days=700),
            ssw=ssws[i % len(ssws)],
        )
        household.members = [HouseholdMember(user=carer)]
        child = Child(
            first_name=f"Child{i}",
            last_name="Load",
            date_of_birth=today - timedelta(days=365 * (3 + i % 13)),
            case_reference=f"LAC-L{i:04d}",
        )
        db.session.add_all([household, child])
        db.session.add(
            Placement(
                child=child, household=household, start_date=today - timedelta(days=200), placement_type="long_term"
            )
        )
        added += 1
    db.session.commit()
    return added


if __name__ == "__main__":
    from wsgi import app

    with app.app_context():
        print(f"load-test people added: {add_people()}")
