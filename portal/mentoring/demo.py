"""Demo mentoring scheme: 12 mentors across the localities (and their neighbours), 15 applicants and new carers at
every step, active matches with conversations and logged contacts, and a year of history for the scheme report."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from portal.auth.demo_password import demo_password_hash
from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.mentoring import matching, queries
from portal.mentoring.demo_history import load_history
from portal.mentoring.models import (
    Contact,
    LocalityNeighbour,
    Match,
    MatchEvent,
    Mentee,
    MentorProfile,
    Message,
    PayModel,
    ReadMark,
)
from portal.people.models import Household, HouseholdMember, Locality

NEW_LOCALITIES = ("East Marsh", "West Downs", "Riverside")
# The two demo localities and three more, in a row: each is next to the one before and after.
ROW = ("West Downs", "North Shire", "Riverside", "South Vale", "East Marsh")

# name, email (None: made up), locality, types, ages, times, ways, capacity, trained, taking, languages
MENTORS = [
    (
        "Margaret Hughes",
        "mentor@example.org",
        "North Shire",
        "mainstream,short_breaks",
        "under_5,5_10,11_15",
        "evenings,weekends",
        "phone,in_person",
        3,
        True,
        True,
        "english",
    ),
    (
        "Anjali Mistry",
        None,
        "North Shire",
        "mainstream,parent_and_child",
        "under_5",
        "weekday_daytime",
        "video,phone",
        2,
        True,
        True,
        "english,gujarati",
    ),
    ("Tom Barker", None, "South Vale", "kinship", "5_10,11_15", "evenings", "phone", 2, True, True, "english"),
    (
        "Fatima Rahman",
        None,
        "South Vale",
        "mainstream",
        "11_15,16_plus",
        "weekends,evenings",
        "in_person,video",
        2,
        True,
        True,
        "english,bengali",
    ),
    (
        "Dave Ellis",
        None,
        "East Marsh",
        "short_breaks,specialist",
        "5_10,11_15",
        "weekday_daytime",
        "phone",
        1,
        True,
        True,
        "english",
    ),
    (
        "Megan Lloyd",
        None,
        "East Marsh",
        "mainstream",
        "under_5,5_10",
        "evenings",
        "phone,video",
        2,
        True,
        True,
        "english,welsh",
    ),
    (
        "Ian Crowther",
        None,
        "West Downs",
        "staying_put,mainstream",
        "16_plus",
        "weekends",
        "in_person",
        2,
        True,
        True,
        "english",
    ),
    (
        "Agnieszka Wolska",
        None,
        "Riverside",
        "mainstream,kinship",
        "under_5,5_10",
        "evenings,weekday_daytime",
        "phone,in_person",
        3,
        True,
        True,
        "english,polish",
    ),
    (
        "Bola Adeyemi",
        None,
        "Riverside",
        "parent_and_child",
        "under_5",
        "weekday_daytime",
        "video",
        1,
        True,
        False,
        "english,yoruba",
    ),
    ("Carol Jenkins", None, "North Shire", "kinship", "11_15,16_plus", "evenings", "phone", 2, False, True, "english"),
    (
        "Rhys Morgan",
        None,
        "West Downs",
        "mainstream,short_breaks",
        "5_10",
        "weekends",
        "in_person,phone",
        2,
        True,
        True,
        "english",
    ),
    (
        "Hannah Cohen",
        None,
        "South Vale",
        "mainstream",
        "under_5,5_10,11_15",
        "evenings,weekends",
        "phone,video",
        3,
        True,
        True,
        "english,hebrew",
    ),
]

# name, locality, type, ages, stage, step (see _place), email
MENTEES = [
    ("Leila Haddad", "North Shire", "mainstream", "under_5", "stage_2", "active", "applicant@example.org"),
    ("Owen Price", "North Shire", "mainstream", "5_10", "stage_1", "proposed_to_lead", None),
    ("Grace Kimani", "South Vale", "kinship", "5_10", "approved", "active", None),
    ("Marek Zielinski", "Riverside", "mainstream", "under_5", "stage_2", "introduced", None),
    ("Aisha Begum", "South Vale", "mainstream", "11_15", "stage_1", "accepted", None),
    ("Ben Walsh", "East Marsh", "short_breaks", "5_10", "stage_2", "waiting", None),
    ("Chloe Martin", "West Downs", "staying_put", "16_plus", "panel", "waiting", None),
    ("Daniel Osei", "Riverside", "kinship", "11_15", "stage_1", "waiting", None),
    ("Ella Thompson", "East Marsh", "parent_and_child", "under_5", "stage_1", "waiting", None),
    ("Farid Karimi", "North Shire", "mainstream", "11_15", "enquiry", "offered", None),
    ("Gemma Stone", "West Downs", "mainstream", "5_10", "stage_1", "offered_long_ago", None),
    ("Harvey Lane", "South Vale", "mainstream", "under_5", "stage_2", "declined", None),
    ("Isabel Costa", "Riverside", "short_breaks", "5_10", "stage_1", "withdrew", None),
    ("Jack Dunn", "East Marsh", "kinship", "5_10,11_15", "approved", "active", None),
    ("Kirsty Bell", "North Shire", "mainstream", "under_5,5_10", "stage_2", "not_offered", None),
]

CHAT = [
    ("mentor", "Hello! I'm your mentor. How is the assessment going?"),
    ("mentee", "Hi, thank you for getting in touch. The home study questions feel a lot."),
    ("mentor", "They do. Shall we go through the next session's questions on Thursday evening?"),
    ("mentee", "Yes please, 7pm works."),
    ("mentor", "Great. Have a look at the Skills to Foster notes on allowances before then."),
]


def _at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def _account(email: str, name: str, roles: list[Role]) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=name, password_hash=demo_password_hash(), is_active=True)
        user.role_rows = [UserRole(role=r.value) for r in roles]
        db.session.add(user)
        db.session.flush()
    for r in roles:
        if not user.has_role(r):
            user.role_rows.append(UserRole(role=r.value))
    return user


def load_mentoring_demo() -> bool:
    """Add the demo scheme once (idempotent: nothing happens when mentor profiles exist)."""
    if db.session.scalar(select(MentorProfile.id).limit(1)) is not None:
        return False
    on, rng = today(), random.Random(14)
    localities = {loc.name: loc for loc in db.session.scalars(select(Locality))}
    for name in NEW_LOCALITIES:
        if name not in localities:
            localities[name] = Locality(name=name)
            db.session.add(localities[name])
    db.session.flush()
    for a, b in zip(ROW, ROW[1:]):
        db.session.add(LocalityNeighbour(locality_id=localities[a].id, neighbour_id=localities[b].id))
    db.session.add(
        PayModel(
            model="per_contact",
            effective_from=date(on.year - 1, 4, 1),
            source="The service's mentoring scheme: a fee for each logged contact",
        )
    )
    mentors: dict[str, User] = {}
    for i, (name, email, loc, types, ages, times, ways, cap, trained, taking, langs) in enumerate(MENTORS):
        user = _account(email or f"{name.split()[0].lower()}.mentor@example.org", name, [Role.CARER, Role.MENTOR])
        if db.session.scalar(select(HouseholdMember.id).where(HouseholdMember.user_id == user.id)) is None:
            h = Household(
                name=f"{name.split()[-1]} household",
                reference=f"FH-M{101 + i}",
                carer_type=types.split(",")[0],
                locality=localities[loc],
                approval_date=on - timedelta(days=365 * (5 + i % 7)),
            )
            h.members = [HouseholdMember(user=user)]
            db.session.add(h)
        db.session.add(
            MentorProfile(
                user_id=user.id,
                years_fostering=5 + i % 9,
                locality_id=localities[loc].id,
                fostering_types=types,
                age_groups=ages,
                availability=times,
                ways=ways,
                capacity=cap,
                languages=langs,
                taking_mentees=taking,
                training_completed_on=on - timedelta(days=200 + 30 * i) if trained else None,
            )
        )
        mentors[name] = user
    db.session.flush()
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    for i, (name, loc, ftype, ages, stage, step, email) in enumerate(MENTEES):
        user = _account(
            email or f"{name.split()[0].lower()}.applicant@example.org",
            name,
            [Role.CARER] if stage == "approved" else [Role.APPLICANT],
        )
        mentee = Mentee(
            full_name=name,
            email=user.email,
            user_id=user.id,
            locality_id=localities[loc].id,
            fostering_type=ftype,
            age_groups=ages,
            stage=stage,
            assessing_worker="Beth Carter",
            availability="evenings",
            ways="phone",
            created_by_id=coordinator.id if coordinator else None,
            approved_on=on - timedelta(days=60) if stage == "approved" else None,
        )
        db.session.add(mentee)
        db.session.flush()
        _place(mentee, step, mentors["Margaret Hughes"] if i in (0, 1) else _best_mentor(mentee, on), on, rng)
    load_history(localities, mentors, on, rng)
    db.session.flush()
    return True


def _best_mentor(mentee: Mentee, on: date) -> User:
    """The demo's matches are what the coordinator would have chosen: the best-ranked mentor free now."""
    db.session.flush()
    fits = matching.rank(queries.needs_of(mentee), queries.mentor_offers(on), queries.neighbours_map())
    best = next(f for f in fits if f.blocked is None)
    return db.session.get(User, best.mentor_id)


def _place(mentee: Mentee, step: str, mentor: User, on: date, rng: random.Random) -> None:
    """Put a demo mentee at a step of the funnel, with the match, messages and contacts that step has."""
    if step == "not_offered":
        return
    mentee.offered_on, mentee.offered_how = on - timedelta(days=rng.randint(20, 60)), "phone"
    if step == "offered":
        mentee.offered_on = on - timedelta(days=4)
        return
    if step == "offered_long_ago":
        mentee.offered_on, mentee.response, mentee.offer_reminded_on = (
            on - timedelta(days=30),
            "no_answer",
            on - timedelta(days=16),
        )
        return
    mentee.responded_on = mentee.offered_on + timedelta(days=3)
    mentee.response = "declined" if step == "declined" else "wants"
    if step == "withdrew":
        mentee.withdrew_on, mentee.withdrew_at_step = mentee.responded_on + timedelta(days=10), "waiting"
    if step in ("declined", "withdrew", "waiting"):
        return
    status = {"proposed_to_lead": "proposed", "accepted": "accepted", "introduced": "introduced"}.get(step, "active")
    proposed = mentee.responded_on + timedelta(days=2)
    match = Match(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        mentee_user_id=mentee.user_id,
        status=status,
        score=80,
        reasons="same locality\nknows the type of fostering",
        proposed_at=_at(proposed, 10),
        respond_by=(on if status == "proposed" else proposed) + timedelta(days=3),
    )
    db.session.add(match)
    db.session.flush()
    db.session.add(MatchEvent(match_id=match.id, step="proposed", at=_at(proposed, 10)))
    if status == "proposed":
        return
    match.accepted_at = _at(proposed + timedelta(days=1), 9)
    if status == "accepted":
        return
    match.introduced_on = proposed + timedelta(days=3)
    match.first_contact_on = match.introduced_on + timedelta(days=2)
    if status == "active":
        match.agreement_meeting_on, match.agreement_meeting_held = match.introduced_on + timedelta(days=10), True
    day = match.introduced_on
    for n, (who, text) in enumerate(CHAT):
        sender = mentor.id if who == "mentor" else mentee.user_id
        db.session.add(
            Message(match_id=match.id, sender_id=sender, body=text, sent_at=_at(day + timedelta(days=n), 19))
        )
    db.session.flush()
    newest = db.session.scalar(
        select(Message.id).where(Message.match_id == match.id).order_by(Message.id.desc()).limit(1)
    )
    # The mentor has read everything; the mentee has one message still to read.
    db.session.add(ReadMark(match_id=match.id, user_id=mentor.id, last_read_id=newest))
    db.session.add(ReadMark(match_id=match.id, user_id=mentee.user_id, last_read_id=newest - 1))
    for k in range(0, (on - match.introduced_on).days, 9):
        db.session.add(
            Contact(
                match_id=match.id,
                mentor_id=mentor.id,
                contact_on=match.introduced_on + timedelta(days=k + 1),
                minutes=rng.choice((20, 30, 45, 60)),
                how=rng.choice(("phone", "video", "in_person")),
                topics=rng.choice(("tsd", "allowances,first_placement", "support_groups", "visit")),
            )
        )
