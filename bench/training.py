"""The training catalogue and a carer's training record at 1× (20 sessions, 400 bookings) and at 100× (2,000
sessions, 40,000 bookings), against /healthz measured in the same run. The service grows, not one carer's history:
the carer measured keeps the same bookings, and the other 399 carers share the rest. A page must cost the same at
both sizes (ratio of the two, each taken over the trivial page, at most 1.2).

`python -m bench.training` (a throw-away SQLite database in a temporary directory).
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.in_process import interleaved_medians, make_app, sign_in

SMALL_SESSIONS, SMALL_BOOKINGS = 20, 400
BIG_SESSIONS, BIG_BOOKINGS = 2_000, 40_000
CARERS = 400
ROUNDS = 150
PASSWORD = "bench-password-2026"


def people() -> int:
    """CARERS carers in households (two localities); returns the id of the carer to measure."""
    from sqlalchemy import insert, select

    from portal.auth.models import User, UserRole
    from portal.core.db import db, utcnow
    from portal.core.security import hash_password
    from portal.people.models import Household, HouseholdMember, Locality

    db.session.add_all([Locality(name="North"), Locality(name="South")])
    db.session.flush()
    localities = list(db.session.scalars(select(Locality.id)))
    digest, now = hash_password(PASSWORD), utcnow()
    db.session.execute(
        insert(User),
        [
            dict(
                email=f"carer{i}@bench.example.org",
                full_name=f"Carer {i}",
                password_hash=digest,
                is_active=True,
                password_changed_at=now,
            )
            for i in range(CARERS)
        ],
    )
    users = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(insert(UserRole), [dict(user_id=u, role="carer") for u in users])
    db.session.execute(
        insert(Household),
        [
            dict(
                name=f"Household {i}",
                reference=f"B-{i}",
                carer_type="mainstream" if i % 3 else "kinship",
                locality_id=localities[i % 2],
                approval_date=(now - timedelta(days=200 + i)).date(),
                status="active",
                created_at=now,
                updated_at=now,
            )
            for i in range(CARERS)
        ],
    )
    households = list(db.session.scalars(select(Household.id).order_by(Household.id)))
    db.session.execute(insert(HouseholdMember), [dict(household_id=h, user_id=u) for h, u in zip(households, users)])
    db.session.commit()
    return users[0]


def programme(sessions: int, bookings: int, measured: int, *, first: bool) -> None:
    """Add courses (once), `sessions` sessions half past and half to come, and `bookings` bookings spread over the
    other carers (the measured carer's own bookings are made once, with the first batch)."""
    from sqlalchemy import insert, select

    from portal.core.db import db, utcnow
    from portal.people.models import HouseholdMember
    from portal.training.models import Booking, Course, SessionPart, TrainingRecord, TrainingSession

    now, rng = utcnow(), random.Random(sessions)
    if first:
        db.session.execute(
            insert(Course),
            [
                dict(
                    title=f"Course {i}",
                    description="",
                    topic=f"Topic {i % 5}",
                    audience="everyone",
                    format=("venue", "online", "elearning")[i % 3],
                    minutes=180,
                    tsd_standards=",3,",
                    mandatory_for=",mainstream," if i % 4 == 0 else "",
                    expiry_months=36 if i % 4 == 0 else None,
                    is_active=True,
                    created_at=now,
                )
                for i in range(12)
            ],
        )
    courses = list(db.session.scalars(select(Course.id)))
    start_id = (db.session.scalar(select(TrainingSession.id).order_by(TrainingSession.id.desc()).limit(1)) or 0) + 1
    rows, parts = [], []
    for n in range(sessions):
        # The first batch mostly to come, so the 1× catalogue has cards to show as the 100× one does (25 a page).
        days = rng.randrange(1, 300) if first and n >= 4 else rng.randrange(-300, 300)
        starts = now + timedelta(days=days, hours=rng.randrange(24))
        rows.append(
            dict(
                id=start_id + n,
                course_id=rng.choice(courses),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue_name="Hall",
                venue_address="1 Street",
                access_notes="",
                capacity=25,
                booked_count=0,
                waiting_seq=0,
                trainer_name="T",
                booking_deadline=starts - timedelta(days=1),
                created_at=now,
            )
        )
        parts.append(dict(session_id=start_id + n, starts_at=starts, ends_at=starts + timedelta(hours=3)))
    db.session.execute(insert(TrainingSession), rows)
    db.session.execute(insert(SessionPart), parts)
    members = dict(db.session.execute(select(HouseholdMember.user_id, HouseholdMember.household_id)).all())
    others = [u for u in members if u != measured]
    taken, booking_rows = set(), []
    if first:  # the measured carer: ten sessions, past ones attended
        for row in rows[:10]:
            taken.add((row["id"], measured))
            booking_rows.append((row, measured))
    while len(booking_rows) < bookings:
        row, user = rng.choice(rows), rng.choice(others)
        if (row["id"], user) not in taken:
            taken.add((row["id"], user))
            booking_rows.append((row, user))
    start_booking = (db.session.scalar(select(Booking.id).order_by(Booking.id.desc()).limit(1)) or 0) + 1
    inserts, records = [], []
    for k, (row, user) in enumerate(booking_rows):
        past = row["starts_at"] < now
        inserts.append(
            dict(
                id=start_booking + k,
                session_id=row["id"],
                user_id=user,
                household_id=members[user],
                booked_by_id=user,
                status="attended" if past else "booked",
                created_at=now,
                updated_at=now,
            )
        )
        if past:
            records.append(
                dict(
                    user_id=user,
                    household_id=members[user],
                    course_id=row["course_id"],
                    booking_id=start_booking + k,
                    title="Course",
                    completed_on=row["starts_at"].date(),
                    minutes=180,
                    source="attended",
                    created_at=now,
                )
            )
    for chunk in range(0, len(inserts), 5_000):
        db.session.execute(insert(Booking), inserts[chunk : chunk + 5_000])
    for chunk in range(0, len(records), 5_000):
        db.session.execute(insert(TrainingRecord), records[chunk : chunk + 5_000])
    db.session.commit()


PAGES = {"trivial": "/healthz", "catalogue": "/training", "training record": "/training/record"}


def main() -> dict[str, float]:
    """Each page's cost over the trivial page's, at 1× and then at 100× in the same database and process; the ratio
    of the two is the growth (1.0: none)."""
    with tempfile.TemporaryDirectory(prefix="hearth-bench-training-") as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            measured = people()
            programme(SMALL_SESSIONS, SMALL_BOOKINGS, measured, first=True)
        client = app.test_client()
        sign_in(client, "carer0@bench.example.org", PASSWORD)
        small = interleaved_medians(client, PAGES)
        with app.app_context():
            started = time.perf_counter()
            programme(BIG_SESSIONS - SMALL_SESSIONS, BIG_BOOKINGS - SMALL_BOOKINGS, measured, first=False)
            made = time.perf_counter() - started
        big = interleaved_medians(client, PAGES)
        print(
            f"Training benchmark (SQLite; grown from {SMALL_SESSIONS} sessions and {SMALL_BOOKINGS} bookings to "
            f"{BIG_SESSIONS:,} and {BIG_BOOKINGS:,} in {made:.1f} s; {ROUNDS} rounds, pages taken in turn)"
        )
        print(
            f"  /healthz (trivial page)  {small['trivial'] * 1000:6.2f} ms at 1×, {big['trivial'] * 1000:6.2f} ms at 100×"
        )
        ratios = {}
        for page in ("catalogue", "training record"):
            at_1, at_100 = small[page] / small["trivial"], big[page] / big["trivial"]
            ratios[page] = at_100 / at_1
            print(f"  {page:<16} {at_1:6.1f}× trivial at 1×  {at_100:6.1f}× at 100×  ratio {ratios[page]:.2f}")
        return ratios


if __name__ == "__main__":
    main()
