"""Pay-run data at any scale, written with bulk Core inserts (a few statements per 5,000 rows, no ORM objects).

`build(households, children)` adds to an empty, migrated database what a pay run reads: the default rate tables
and settings (fortnightly, first period four weeks ago), this rate year's allowances, households each with a fee
level and a carer, children aged 0 to 17 with placements (some moved between households during the look-back
window, some left care during the period), supplements, festivals, held beds and approved claims waiting to be paid.
The figures are seeded, so every run of the benchmark builds the same service. Used by `bench/payruns.py` and the
PostgreSQL-only test of a run with more children than one statement can bind.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

CHUNK = 5_000


@dataclass(frozen=True)
class Built:
    first_period_start: date
    households: int
    children: int
    claims: int


def _insert(table, rows) -> None:
    from portal.core.chunks import chunked
    from portal.core.db import db

    for chunk in chunked(rows, CHUNK):
        db.session.execute(insert(table), chunk)


def set_up_rates(first_period_start: date) -> None:
    """The default rate tables and settings, and allowances for the rate year holding today."""
    from portal.core.clock import today
    from portal.payments.defaults import seed_payment_rates
    from tests.payments.example_rates import add_example_allowances

    seed_payment_rates("rest_of_england", first_period_start, "fortnightly")
    add_example_allowances(today(), "bench")


def build(households: int, children: int, *, seed: int = 7, claims_share: float = 0.2) -> Built:
    """Add the service (in the caller's transaction; commit afterwards). Returns what was built."""
    from portal.auth.models import User
    from portal.claims.models import Claim, ClaimStatus
    from portal.core.clock import today
    from portal.core.db import db
    from portal.payments.models import PaymentTerm
    from portal.people.models import Child, Household, HouseholdMember, Locality, Placement

    rnd = random.Random(seed)
    on = today()
    first = on - timedelta(days=on.weekday() + 28)  # two fortnightly periods have ended since
    set_up_rates(first)
    locality = db.session.scalar(insert(Locality).returning(Locality.id), [{"name": f"Bench {seed}"}])
    _insert(
        Household,
        (
            dict(name=f"Household {i}", reference=f"B-{seed}-{i}", carer_type="mainstream", locality_id=locality)
            for i in range(households)
        ),
    )
    hids = list(
        db.session.scalars(select(Household.id).where(Household.locality_id == locality).order_by(Household.id))
    )
    _insert(
        PaymentTerm,
        (
            dict(
                kind="fee",
                household_id=hid,
                code=rnd.choices(("level_1", "level_2", "level_3"), (6, 3, 1))[0],
                effective_from=first - timedelta(days=400),
            )
            for hid in hids
        ),
    )
    _insert(
        PaymentTerm,
        (
            dict(kind="retainer", household_id=hid, code="held_bed", effective_from=first + timedelta(days=3))
            for hid in hids
            if rnd.random() < 0.01
        ),
    )
    _insert(
        Child,
        (
            dict(
                first_name=f"Child{i}",
                last_name="Bench",
                preferred_name=f"C{i}" if i % 20 == 0 else None,
                case_reference=f"BC-{seed}-{i}",
                date_of_birth=on - timedelta(days=rnd.randint(30, 365 * 18 - 30)),
            )
            for i in range(children)
        ),
    )
    cids = list(
        db.session.scalars(select(Child.id).where(Child.case_reference.like(f"BC-{seed}-%")).order_by(Child.id))
    )
    placements, terms = [], []
    for i, cid in enumerate(cids):
        home = hids[i % len(hids)]
        began = first - timedelta(days=rnd.randint(-20, 900))
        roll = rnd.random()
        if roll < 0.06 and began < first:  # moved from another household during the look-back window
            moved = first - timedelta(days=rnd.randint(1, 150))
            if moved > began:
                placements.append(
                    dict(
                        child_id=cid,
                        household_id=hids[(i * 7919) % len(hids)],
                        start_date=began,
                        end_date=moved,
                        placement_type="short_term",
                    )
                )
                began = moved
        ended = on - timedelta(days=rnd.randint(1, 27)) if 0.06 <= roll < 0.09 else None
        if ended is not None and ended <= began:
            ended = None
        placements.append(
            dict(child_id=cid, household_id=home, start_date=began, end_date=ended, placement_type="long_term")
        )
        if rnd.random() < 0.05:
            code = "enhanced" if rnd.random() < 0.7 else "complex"
            terms.append(dict(kind="supplement", child_id=cid, code=code, effective_from=first - timedelta(days=60)))
        if rnd.random() < 0.1:
            terms.append(dict(kind="festival", child_id=cid, code="festival_christmas", effective_from=first))
    _insert(Placement, placements)
    _insert(PaymentTerm, terms)
    claimers = [hid for hid in hids if rnd.random() < claims_share]
    _insert(
        User,
        (dict(email=f"carer-{seed}-{hid}@bench.example", full_name=f"Carer {hid}", is_active=True) for hid in claimers),
    )
    users = dict(
        db.session.execute(select(User.email, User.id).where(User.email.like(f"carer-{seed}-%@bench.example"))).all()
    )
    _insert(
        HouseholdMember,
        (dict(household_id=hid, user_id=users[f"carer-{seed}-{hid}@bench.example"]) for hid in claimers),
    )
    decided = datetime.combine(first + timedelta(days=16), datetime.min.time(), timezone.utc)
    _insert(
        Claim,
        (
            dict(
                kind="expense",
                status=ClaimStatus.APPROVED,
                household_id=hid,
                claimant_id=users[f"carer-{seed}-{hid}@bench.example"],
                idempotency_key=f"bench-{seed}-{hid}",
                total_pence=(amount := rnd.randint(5_00, 150_00)),
                approved_pence=amount,
                submitted_at=decided - timedelta(days=3),
                decided_at=decided,
            )
            for hid in claimers
        ),
    )
    return Built(first, len(hids), len(cids), len(claimers))
