"""The demo programme: twelve courses, about thirty sessions over the past five months and the coming four, some
full with waiting lists, attendance and certificates for the demo households, and TSD part-way with a deadline
coming up for the Whitfields (kinship, approved about fifteen months ago) and the Campbells on pace. Idempotent: nothing when a course exists."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.core import clock
from portal.core.db import db
from portal.people.models import Household, HouseholdMember
from portal.training import attendance, learning, services
from portal.training.models import Booking, Course, SessionPart, TrainingSession
from portal.training.programme import _codes

# title, topic, audience, format, hours, TSD standards, mandatory for, expiry months, parts
COURSES = [
    ("Skills to Foster", "Preparation", "applicants", "venue", 18, [1, 2, 5], [], None, 3),
    ("Paediatric first aid", "Health", "everyone", "venue", 6, [3], ["mainstream", "kinship", "short_breaks"], 36, 1),
    (
        "Safeguarding children",
        "Safeguarding",
        "everyone",
        "venue",
        3,
        [6],
        ["mainstream", "kinship", "short_breaks"],
        36,
        1,
    ),
    ("Managing allegations", "Safeguarding", "everyone", "online", 3, [2, 6], [], None, 1),
    ("Therapeutic parenting", "Parenting", "everyone", "venue", 5, [5], [], None, 2),
    ("Kinship care: your role", "Kinship", "kinship", "online", 2, [1, 2], ["kinship"], None, 1),
    ("Recording and writing logs", "Recording", "everyone", "elearning", 2, [4], ["mainstream"], None, 1),
    ("Understanding attachment", "Parenting", "everyone", "online", 3, [5], [], None, 1),
    ("Life story work", "Identity", "everyone", "venue", 3, [5], [], None, 1),
    ("Managing behaviour that challenges", "Parenting", "everyone", "venue", 6, [5, 6], [], None, 1),
    ("Short breaks: working with families", "Short breaks", "short_breaks", "online", 2, [2, 4], [], None, 1),
    ("Your development plan", "Development", "everyone", "online", 2, [7], [], None, 1),
]
VENUES = [
    (
        "Civic Centre, Room 2",
        "1 Market Street, North Shire NS1 2AB",
        "Step-free entrance on Market Street; hearing loop",
    ),
    ("Riverside Family Centre", "14 Mill Lane, South Vale SV3 4CD", "Free parking behind the building"),
]
# course index, days from today, hour, capacity
SESSIONS = [
    (1, -140, 9, 12),
    (2, -120, 10, 15),
    (4, -100, 18, 10),
    (7, -90, 10, 20),
    (3, -75, 10, 20),
    (8, -60, 10, 12),
    (1, -45, 9, 12),
    (9, -30, 9, 12),
    (5, -21, 18, 25),
    (2, -14, 10, 15),
    (0, -10, 9, 14),
    (11, -5, 18, 20),
    (1, 2, 9, 4),
    (3, 5, 10, 20),
    (4, 9, 18, 4),
    (6, 12, 10, 200),
    (2, 16, 10, 15),
    (7, 20, 10, 20),
    (0, 23, 9, 14),
    (8, 27, 10, 12),
    (9, 33, 9, 12),
    (10, 38, 18, 15),
    (5, 44, 18, 25),
    (1, 51, 9, 12),
    (11, 58, 18, 20),
    (3, 65, 10, 20),
    (2, 75, 10, 15),
    (4, 86, 18, 10),
    (8, 100, 10, 12),
    (1, 115, 9, 12),
]


def load_training_demo() -> bool:
    if db.session.scalar(select(Course.id).limit(1)):
        return False
    users = {u.email: u for u in db.session.scalars(select(User))}
    trainer, ssw = users["trainer@example.org"], users["ssw@example.org"]
    courses = []
    for title, topic, audience, fmt, hours, tsd, mandatory, expiry, _parts in COURSES:
        courses.append(
            Course(
                title=title,
                description=f"{title}: a course in the {topic.lower()} part of the programme.",
                topic=topic,
                audience=audience,
                format=fmt,
                minutes=hours * 60,
                tsd_standards=_codes(tsd),
                mandatory_for=_codes(mandatory),
                expiry_months=expiry,
                elearning_url="https://learning.example.org/recording" if fmt == "elearning" else None,
            )
        )
    db.session.add_all(courses)
    db.session.flush()
    on = clock.today()
    sessions = []
    for n, (index, offset, hour, capacity) in enumerate(SESSIONS):
        course = courses[index]
        parts_count = COURSES[index][8]
        length = timedelta(minutes=course.minutes // parts_count)
        parts = [
            SessionPart(starts_at=_utc(offset + 7 * p, hour, on), ends_at=_utc(offset + 7 * p, hour, on) + length)
            for p in range(parts_count)
        ]
        venue = VENUES[n % 2]
        online = course.format != "venue"
        sessions.append(
            TrainingSession(
                course_id=course.id,
                starts_at=parts[0].starts_at,
                ends_at=parts[-1].ends_at,
                venue_name="" if online else venue[0],
                venue_address="" if online else venue[1],
                access_notes="" if online else venue[2],
                joining_link="https://meet.example.org/hearth-training" if course.format == "online" else None,
                capacity=capacity,
                booked_count=0,
                waiting_seq=0,
                trainer_name="Ade Bello" if n % 3 else "Dr Ruth Adeyemi",
                booking_deadline=parts[0].starts_at - timedelta(days=1),
                parts=parts,
            )
        )
    db.session.add_all(sessions)
    db.session.commit()
    carers = _carers()
    _past_attendance(trainer, sessions, carers)
    _coming_bookings(sessions, carers, users)
    _tsd(ssw)
    return True


def _utc(day_offset: int, hour: int, on) -> datetime:
    local = datetime.combine(on + timedelta(days=day_offset), time(hour), tzinfo=clock.LONDON)
    return local.astimezone(clock.now().tzinfo)


def _carers() -> list[tuple[User, Household]]:
    rows = db.session.execute(
        select(User, Household)
        .join(HouseholdMember, HouseholdMember.user_id == User.id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(Household.approval_date.is_not(None))
        .order_by(Household.id, User.id)
    ).all()
    return [(u, h) for u, h in rows]


def _for(session: TrainingSession, household: Household) -> bool:
    """Whether the session's course is open to the household's carers (for everyone, or for their carer type)."""
    return session.course.audience in ("everyone", household.carer_type)


def _past_attendance(trainer: User, sessions: list[TrainingSession], carers) -> None:
    """Past sessions: a share of the carers on each, most attended, one partly, one absent, a late cancellation.
    Certificates for those who attended are queued for the worker."""
    now = clock.now()
    past = [s for s in sessions if s.starts_at < now]
    for n, session in enumerate(past):
        if session.course.audience == "applicants":
            continue
        fits = [c for c in carers if _for(session, c[1])]
        if not fits:
            continue
        chosen = list(dict.fromkeys(fits[(n * 3 + k) % len(fits)] for k in range(min(6, session.capacity))))
        bookings = []
        for user, household in chosen:
            booking = Booking(
                session_id=session.id, user_id=user.id, household_id=household.id, booked_by_id=user.id, status="booked"
            )
            db.session.add(booking)
            bookings.append(booking)
        session.booked_count = len(bookings)
        db.session.commit()
        marks = {b.id: "attended" for b in bookings}
        if len(bookings) > 3:
            marks[bookings[-1].id] = "absent"
            marks[bookings[-2].id] = "partly"
        # The register queues each certificate, as it does for a trainer: a worker makes and files them (the demo's
        # 44 PDFs, seconds of work, are not made while `flask demo-data` runs).
        attendance.mark_register(trainer, session, marks, now=now)
        for booking in bookings[:2]:
            if marks[booking.id] in ("attended", "partly"):
                attendance.give_evaluation(
                    booking.user, booking, usefulness=4 + n % 2, before=2, after=4, comments="Practical and friendly."
                )


def _coming_bookings(sessions: list[TrainingSession], carers, users) -> None:
    """Sessions to come: a few bookings each; two small ones full, with a waiting list; an offered place for Sarah."""
    now = clock.now()
    coming = [s for s in sessions if s.starts_at > now and s.course.audience != "applicants"]
    sarah = users["carer@example.org"]
    others = [c[0] for c in carers if c[0].id != sarah.id]
    full = [s for s in coming if s.capacity <= 4][:2]
    for n, session in enumerate(coming):
        if session in full:
            # four places filled, then the waiting list: Sarah third on the first, first on the second
            order = others[:6]
            order.insert(6 if session is full[0] else 4, sarah)
        else:
            fits = [c for c in carers if _for(session, c[1])] or carers
            order = [fits[(n * 2 + k) % len(fits)][0] for k in range(min(3, len(fits)))]
        for user in order:
            services.book(user, session, [user], now=now)
    second_full = full[1]
    booked = db.session.scalars(
        select(Booking).where(Booking.session_id == second_full.id, Booking.status == "booked").limit(1)
    ).first()
    if booked is not None:
        # Within the offer window a freed place is offered, not given: the demo shows it waiting for Sarah's answer.
        services.cancel_booking(booked.user, booked, now=second_full.starts_at - timedelta(hours=48))


def _tsd(ssw: User) -> None:
    """The Whitfields (kinship) part-way and behind with their deadline coming; the Campbells (kinship, approved
    this year) part-way and on pace; the Okafors complete. Households approved years ago are not chased."""
    for name, standards in (
        ("Whitfield household", (1, 2, 3)),
        ("Campbell household", (1, 2)),
        ("Okafor household", (1, 2, 3, 4, 5, 6, 7)),
    ):
        household = db.session.scalar(select(Household).where(Household.name == name))
        if household is None:
            continue
        for standard in standards:
            learning.sign_off_standard(ssw, household, standard, "Workbook pages seen at supervision")
