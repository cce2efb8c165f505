"""The demo service: two localities, 12 households, 20 children with current and past placements, one account per role.

Idempotent: it does nothing when the demo admin already exists. Every demo password is DEMO_PASSWORD, and staff
accounts share one TOTP secret so a tester can add it to an authenticator app once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.demo_password import DEMO_PASSWORD as DEMO_PASSWORD  # where the tests and CLI have always found it
from portal.auth.demo_password import demo_password_hash
from portal.auth.models import User, UserRole
from portal.auth.roles import STAFF_ROLES, Role
from portal.claims.demo import load_claims_demo
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.groups.demo import load_groups_demo
from portal.hub.demo import load_hub_demo
from portal.memories.demo import load_memory_demo
from portal.mentoring.demo import load_mentoring_demo
from portal.payments.demo import load_payments_demo
from portal.people.models import Child, Household, HouseholdMember, Locality, Placement
from portal.training.demo import load_training_demo

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ACCOUNTS = [
    ("carer@example.org", "Sarah Okafor", [Role.CARER]),
    ("carer2@example.org", "Tom Whitfield", [Role.CARER]),
    ("mentor@example.org", "Margaret Hughes", [Role.CARER, Role.MENTOR, Role.GROUP_COORDINATOR]),
    ("ssw@example.org", "Priya Shah", [Role.SSW]),
    ("socialworker@example.org", "Daniel Evans", [Role.CHILD_SW]),
    ("support@example.org", "Karen Lloyd", [Role.BUSINESS_SUPPORT]),
    ("trainer@example.org", "Ade Bello", [Role.TRAINING_COORDINATOR]),
    ("coordinator@example.org", "Fiona Grant", [Role.MENTORING_COORDINATOR]),
    ("admin@example.org", "Chris Moran", [Role.ADMIN]),
    ("young.person@example.org", "Jordan Reid", [Role.YOUNG_PERSON]),
]

# name, carer type, locality index, years approved (None: in assessment), extra carers
HOUSEHOLDS = [
    ("Okafor household", "mainstream", 0, 4, []),
    ("Whitfield household", "kinship", 1, 1, [("Anne Whitfield", "anne.whitfield@example.org")]),
    ("Hughes household", "mainstream", 0, 12, []),
    (
        "Bennett household",
        "mainstream",
        0,
        6,
        [("Lee Bennett", "lee.bennett@example.org"), ("Jo Bennett", "jo.bennett@example.org")],
    ),
    ("Ali household", "short_breaks", 1, 3, [("Yasmin Ali", "yasmin.ali@example.org")]),
    ("Campbell household", "kinship", 0, 0, [("Rose Campbell", "rose.campbell@example.org")]),
    (
        "Nowak household",
        "mainstream",
        1,
        8,
        [("Piotr Nowak", "piotr.nowak@example.org"), ("Ewa Nowak", "ewa.nowak@example.org")],
    ),
    ("Davies household", "short_breaks", 0, 2, [("Gareth Davies", "gareth.davies@example.org")]),
    ("Mensah household", "mainstream", 1, 5, [("Kofi Mensah", "kofi.mensah@example.org")]),
    ("Fletcher household", "mainstream", 0, 10, [("Helen Fletcher", "helen.fletcher@example.org")]),
    ("Singh household", "kinship", 1, 2, [("Harpreet Singh", "harpreet.singh@example.org")]),
    ("O'Brien household", "short_breaks", 0, None, [("Niamh O'Brien", "niamh.obrien@example.org")]),
]

# first, last, preferred, age in years (+ days), household index now (None: none), past household index
CHILDREN = [
    ("Jordan", "Reid", None, 16, 0, 2),
    ("Amelia", "Stone", "Millie", 7, 0, None),
    ("Kai", "Turner", None, 4, 1, None),
    ("Leah", "Turner", None, 9, 1, None),
    ("Oscar", "Price", None, 13, 2, 3),
    ("Ruby", "Hart", None, 2, 3, None),
    ("Ethan", "Cole", None, 11, 3, 6),
    ("Maya", "Khan", None, 15, 4, None),
    ("Noah", "Green", None, 6, 5, None),
    ("Isla", "Ward", None, 10, 6, None),
    ("Leo", "Fox", None, 14, 6, 9),
    ("Freya", "Bell", None, 1, 7, None),
    ("Zain", "Malik", None, 12, 8, None),
    ("Poppy", "Lane", None, 5, 8, 3),
    ("Harry", "Shaw", "Haz", 17, 9, None),
    ("Grace", "Moss", None, 8, 10, None),
    ("Theo", "Finch", None, 3, 9, None),
    ("Sienna", "Rowe", None, 16, None, 4),
    ("Alfie", "Nash", None, 9, 2, 7),
    ("Mia", "Dale", None, 12, 0, 10),
]


def _user(email: str, name: str, roles: list[Role], *, staff_totp: bool) -> User:
    user = User(email=email, full_name=name, password_hash=demo_password_hash(), password_changed_at=utcnow())
    user.role_rows = [UserRole(role=r.value) for r in roles]
    if staff_totp:
        user.totp_secret = DEMO_TOTP_SECRET
        user.mfa_enabled_at = utcnow()
    db.session.add(user)
    return user


def load_demo_data() -> bool:
    if db.session.scalar(select(User).where(User.email == "admin@example.org")):
        return False
    on = today()
    users = {}
    for email, name, roles in ACCOUNTS:
        users[email] = _user(email, name, roles, staff_totp=bool(set(roles) & STAFF_ROLES))
    localities = [Locality(name="North Shire"), Locality(name="South Vale")]
    db.session.add_all(localities)
    ssw = users["ssw@example.org"]
    ssw2 = _user("ssw2@example.org", "Beth Carter", [Role.SSW], staff_totp=True)
    lead_carers = [users["carer@example.org"], users["carer2@example.org"], users["mentor@example.org"]]
    households = []
    for i, (name, ctype, loc, years, extra) in enumerate(HOUSEHOLDS):
        approved = None if years is None else on - timedelta(days=365 * years + 40 * (i + 1))
        h = Household(
            name=name,
            reference=f"FH-{1001 + i}",
            carer_type=ctype,
            locality=localities[loc],
            approval_date=approved,
            ssw=ssw if i % 3 != 2 or i == 2 else ssw2,
            status="on_hold" if i == 7 else "active",
        )
        members = [lead_carers[i]] if i < 3 else []
        for full_name, email in extra:
            members.append(
                _user(email, full_name, [Role.CARER] if years is not None else [Role.APPLICANT], staff_totp=False)
            )
        h.members = [HouseholdMember(user=u) for u in members]
        households.append(h)
    db.session.add_all(households)
    sw = users["socialworker@example.org"]
    for i, (first, last, preferred, age, now_at, past_at) in enumerate(CHILDREN):
        born = on - timedelta(days=365 * age + 30 * (i % 11) + 3)
        child = Child(
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            date_of_birth=born,
            case_reference=f"LAC-{20400 + i}",
            social_worker=sw if i % 2 == 0 else None,
        )
        db.session.add(child)
        # Noah's kinship carers are temporarily approved (Regulation 24): 16 weeks run out soon.
        start_now = on - timedelta(days=100 if i == 8 else 60 + 37 * i)
        if past_at is not None:
            past_start = start_now - timedelta(days=400)
            db.session.add(
                Placement(
                    child=child,
                    household=households[past_at],
                    start_date=past_start,
                    end_date=start_now if now_at is not None else on - timedelta(days=20),
                    placement_type="short_term",
                )
            )
        if now_at is not None:
            ptype = {"kinship": "regulation_24" if i == 8 else "long_term", "short_breaks": "short_break"}.get(
                households[now_at].carer_type, "long_term" if i % 3 else "short_term"
            )
            db.session.add(
                Placement(child=child, household=households[now_at], start_date=start_now, placement_type=ptype)
            )
    db.session.flush()
    jordan = db.session.scalar(select(Child).where(Child.case_reference == "LAC-20400"))
    jordan.young_person_user_id = users["young.person@example.org"].id
    load_claims_demo()
    load_payments_demo()
    load_mentoring_demo()
    load_groups_demo()
    audit.record(db.session, "demo_data_loaded", actor_id=None)
    db.session.commit()
    load_memory_demo(users)  # photos through the real upload pipeline, after the people they belong to exist
    load_training_demo()
    load_hub_demo()  # newsletters' PDFs through the upload pipeline too
    return True
