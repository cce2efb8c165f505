"""Staff, households with one or two carers, children and their placement histories."""

from __future__ import annotations

from datetime import timedelta

from bench.generate import DEMO_CHILDREN, DEMO_HOUSEHOLDS, Volume, generator
from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core.db import utcnow
from portal.core.security import hash_password
from portal.people.models import Child, Household, HouseholdMember, Locality, Placement

FIRST = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Jack", "Freya", "Kai", "Zara", "Ethan", "Ruby"]
LAST = ["Okafor", "Patel", "Nowak", "Evans", "Khan", "Hughes", "Bennett", "Singh", "Reid", "Fox", "Ward", "Shaw"]
CARER_TYPES = ["mainstream"] * 6 + ["kinship"] * 2 + ["short_breaks", "specialist"]
PLACEMENT_TYPES = ["long_term"] * 5 + ["short_term"] * 3 + ["emergency", "short_break"]


def _users(v: Volume, role: Role, n: int, label: str) -> list[int]:
    password = hash_password(f"volume-{v.tag}")  # one hash for all: hashing is deliberately slow
    now = utcnow()
    ids = v.insert(
        User,
        [
            {
                "email": f"{label}-{v.tag}-{i}@volume.example.org",
                "full_name": f"{v.rnd.choice(FIRST)} {v.rnd.choice(LAST)}",
                "password_hash": password,
                "password_changed_at": now,
            }
            for i in range(n)
        ],
    )
    v.insert(UserRole, [{"user_id": uid, "role": role.value} for uid in ids])
    return ids


@generator("people")
def generate_people(v: Volume) -> None:
    rnd, on, a = v.rnd, v.on, v.anchors
    localities = v.insert(Locality, [{"name": f"Volume {side} {v.tag}"} for side in ("North", "South")])
    ssws = _users(v, Role.SSW, 2 * v.scale, "ssw")
    child_sws = _users(v, Role.CHILD_SW, 2 * v.scale, "csw")
    v.ids["business_support"] = _users(v, Role.BUSINESS_SUPPORT, 1, "bs")

    n_households = v.many(DEMO_HOUSEHOLDS)
    households = v.insert(
        Household,
        [
            {
                "name": f"{rnd.choice(LAST)} household",
                "reference": f"V{v.tag}-{i}",
                "carer_type": rnd.choice(CARER_TYPES),
                "locality_id": localities[i % 2],
                "approval_date": on - timedelta(days=rnd.randint(200, 5000)),
                "status": "active" if i % 11 else "on_hold",
                "ssw_id": a.ssw_id if a.ssw_id and i % 3 == 0 else ssws[i % len(ssws)],
                "postcode": f"AB{i % 90 + 1} {i % 9}CD",
            }
            for i in range(n_households)
        ],
    )
    carers_per = [1 + (i % 3 == 0) for i in range(n_households)]
    carers = _users(v, Role.CARER, sum(carers_per), "carer")
    members, it = [], iter(carers)
    for hid, count in zip(households, carers_per):
        members.extend({"household_id": hid, "user_id": next(it)} for _ in range(count))
    v.insert(HouseholdMember, members)
    v.ids["households"], v.ids["carers"] = households, carers
    v.ids["household_carer"] = {m["household_id"]: m["user_id"] for m in members}

    n_children = v.many(DEMO_CHILDREN)
    children = v.insert(
        Child,
        [
            {
                "first_name": rnd.choice(FIRST),
                "last_name": rnd.choice(LAST),
                "date_of_birth": on - timedelta(days=rnd.randint(200, 17 * 365)),
                "case_reference": f"VLAC-{v.tag}-{i}",
                "social_worker_id": a.child_sw_id if a.child_sw_id and i % 3 == 0 else child_sws[i % len(child_sws)],
            }
            for i in range(n_children)
        ],
    )
    placements, current = [], {}
    for i, cid in enumerate(children):
        # A current placement for most; before it, up to two earlier homes (a history, not a single row).
        start = on - timedelta(days=rnd.randint(30, 900))
        lives_now = i % 7 != 0
        if lives_now:
            home = households[rnd.randrange(n_households)]
            placements.append(_placement(cid, home, start, None, rnd))
            current[cid] = home
        end = start
        for _ in range(rnd.randint(0, 2)):
            begin = end - timedelta(days=rnd.randint(60, 600))
            placements.append(_placement(cid, households[rnd.randrange(n_households)], begin, end, rnd))
            end = begin - timedelta(days=rnd.randint(1, 30))
    if a.household_id:
        # A few more children live in the anchored household at larger scales (a real household has several).
        for cid in children[1 : 1 + min(v.scale, 3) * 7 : 7]:
            current.pop(cid, None)
        for cid in children[1 : 1 + min(v.scale, 3) * 7 : 7]:
            placements = [p for p in placements if not (p["child_id"] == cid and p["end_date"] is None)]
            placements.append(_placement(cid, a.household_id, on - timedelta(days=45), None, rnd))
            current[cid] = a.household_id
    v.insert(Placement, placements)
    v.ids["children"] = children
    v.ids["current_home"] = current


def _placement(child_id, household_id, start, end, rnd) -> dict:
    return {
        "child_id": child_id,
        "household_id": household_id,
        "start_date": start,
        "end_date": end,
        "placement_type": rnd.choice(PLACEMENT_TYPES),
    }
