"""Training reads scoped to the person asking: the catalogue, bookings, learning records and certificates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, false, func, or_, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import LONDON
from portal.core.db import db, unindexed
from portal.people.models import Household, HouseholdMember
from portal.people.queries import household_ids_of_carer, household_of
from portal.training.models import (
    HOLDS_PLACE,
    LIVE,
    Audience,
    Booking,
    BookingStatus,
    Certificate,
    CertificateStatus,
    Course,
    TrainingRecord,
    TrainingSession,
)
from portal.training.rules import EXPIRING_WITHIN_DAYS

STAFF = (Role.TRAINING_COORDINATOR, Role.ADMIN)
APPLICANT_AUDIENCES = (Audience.EVERYONE, Audience.APPLICANTS)


def is_training_staff(user: User) -> bool:
    return user.has_role(*STAFF)


def _carer_types_of(user: User):
    """The carer type of the person's household(s), as a subquery (a course for that type is for them)."""
    return (
        select(Household.carer_type)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.user_id == user.id)
    )


def audiences_for(user: User) -> tuple[str, ...] | None:
    """Which courses a person may see and book: None (every course) for training staff; applicants courses for
    applicants and for everyone; carers courses for everyone and for their own household's carer type (a mainstream
    carer is not offered a kinship or short-breaks course). One query for a carer."""
    if is_training_staff(user):
        return None
    audiences: set[str] = set()
    if user.has_role(Role.CARER):
        audiences.add(Audience.EVERYONE)
        audiences |= set(db.session.scalars(_carer_types_of(user)))
    if user.has_role(Role.APPLICANT):
        audiences |= set(APPLICANT_AUDIENCES)
    return tuple(audiences)


def _audience_clause(user: User):
    """`audiences_for` as SQL (the carer type read in the same query), or None for training staff."""
    if is_training_staff(user):
        return None
    fixed: set[str] = set()
    clauses = []
    if user.has_role(Role.CARER):
        fixed.add(Audience.EVERYONE)
        clauses.append(Course.audience.in_(_carer_types_of(user)))
    if user.has_role(Role.APPLICANT):
        fixed |= set(APPLICANT_AUDIENCES)
    if fixed:
        clauses.append(Course.audience.in_(sorted(fixed)))
    return or_(*clauses) if clauses else false()


def courses_visible_to(user: User) -> Select[tuple[Course]]:
    stmt = select(Course)
    clause = _audience_clause(user)
    if clause is None:
        return stmt
    return stmt.where(Course.is_active.is_(True), clause)


def sessions_visible_to(user: User) -> Select[tuple[TrainingSession]]:
    stmt = select(TrainingSession).join(TrainingSession.course)
    clause = _audience_clause(user)
    if clause is None:
        return stmt
    return stmt.where(Course.is_active.is_(True), clause)


def bookings_visible_to(user: User) -> Select[tuple[Booking]]:
    """Training staff: every booking. Carers: their household's. SSWs: their caseload's. Anyone: their own."""
    stmt = select(Booking)
    if is_training_staff(user):
        return stmt
    clauses = [Booking.user_id == user.id]
    if user.has_role(Role.CARER):
        clauses.append(Booking.household_id.in_(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(Booking.household_id.in_(select(Household.id).where(Household.ssw_id == user.id)))
    return stmt.where(or_(*clauses))


def training_households_visible_to(user: User) -> Select[tuple[Household]]:
    """Households whose training records the person may read: staff all, an SSW their caseload, a carer their own."""
    stmt = select(Household)
    if is_training_staff(user):
        return stmt
    clauses = []
    if user.has_role(Role.SSW):
        clauses.append(Household.ssw_id == user.id)
    if user.has_role(Role.CARER):
        clauses.append(Household.id.in_(household_ids_of_carer(user)))
    return stmt.where(or_(*clauses) if clauses else false())


def certificates_visible_to(user: User) -> Select[tuple[Certificate]]:
    stmt = select(Certificate)
    if is_training_staff(user):
        return stmt
    clauses = [Certificate.user_id == user.id]
    if user.has_role(Role.CARER):
        clauses.append(Certificate.household_id.in_(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(Certificate.household_id.in_(select(Household.id).where(Household.ssw_id == user.id)))
    return stmt.where(or_(*clauses))


def people_bookable_by(user: User) -> list[User]:
    """Who a person may book: themselves, and the other carer of their household."""
    household = household_of(user) if user.has_role(Role.CARER) else None
    if household is None:
        return [user]
    return [user] + [c for c in household.carers if c.id != user.id]


def _month_range(month: str) -> tuple[datetime, datetime] | None:
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime(year, number, 1, tzinfo=LONDON)
    except ValueError:
        return None
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=LONDON)
    return start, end


def catalogue(
    user: User, now: datetime, *, month: str = "", fmt: str = "", topic: str = "", person_ids: list[int] | None = None
) -> Select[tuple[TrainingSession]]:
    """Sessions still to come that the person may see, filtered; mandatory courses for their household's carer type
    first, then courses whose certificate is expiring (within EXPIRING_WITHIN_DAYS) for someone in the household,
    then by start. One query whatever the data: the priorities are columns, not per-row lookups."""
    stmt = sessions_visible_to(user).where(TrainingSession.starts_at > now, TrainingSession.cancelled_at.is_(None))
    if month and (bounds := _month_range(month)):
        stmt = stmt.where(TrainingSession.starts_at >= bounds[0], TrainingSession.starts_at < bounds[1])
    if fmt:
        stmt = stmt.where(Course.format == fmt)
    if topic:
        stmt = stmt.where(Course.topic == topic)
    household = household_of(user) if user.has_role(Role.CARER) else None
    mandatory = Course.mandatory_for.like(f"%,{household.carer_type},%") if household else false()
    soon = now.astimezone(LONDON).date() + timedelta(days=EXPIRING_WITHIN_DAYS)
    expiring = Course.id.in_(
        select(TrainingRecord.course_id).where(
            TrainingRecord.user_id.in_(person_ids or [user.id]),
            TrainingRecord.expires_on.is_not(None),
            TrainingRecord.expires_on <= soon,
        )
    )
    return stmt.order_by(
        case((mandatory, 0), else_=1), case((expiring, 0), else_=1), TrainingSession.starts_at, TrainingSession.id
    )


def topics(user: User) -> list[str]:
    return list(
        db.session.scalars(courses_visible_to(user).with_only_columns(Course.topic).distinct().order_by(Course.topic))
    )


def bookings_of(person_ids: list[int], session_ids: list[int]) -> dict[tuple[int, int], Booking]:
    """The bookings of these people on these sessions, by (session id, user id): one query for a page."""
    if not person_ids or not session_ids:
        return {}
    rows = db.session.scalars(
        select(Booking).where(Booking.user_id.in_(person_ids), Booking.session_id.in_(session_ids))
    )
    return {(b.session_id, b.user_id): b for b in rows}


def upcoming_bookings(person_ids: list[int], now: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .join(Booking.session)
            .where(
                Booking.user_id.in_(person_ids),
                Booking.status.in_(LIVE),
                TrainingSession.ends_at > now,
            )
            .order_by(TrainingSession.starts_at)
            .limit(50)
        )
    )


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person waiting: how many wait ahead of this booking, plus one."""
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Booking.session_id == booking.session_id,
            Booking.status == BookingStatus.WAITING,
            Booking.waiting_rank < booking.waiting_rank,
        )
    )
    return (ahead or 0) + 1


def session_bookings(session: TrainingSession) -> list[Booking]:
    """Everyone on a session's list: places first (by name), then the waiting list in order, then the rest."""
    order = case(
        (Booking.status.in_(HOLDS_PLACE), 0),
        (Booking.status == BookingStatus.WAITING, 1),
        else_=2,
    )
    return list(
        db.session.scalars(
            select(Booking).where(Booking.session_id == session.id).order_by(order, Booking.waiting_rank, Booking.id)
        )
    )


def records_of(person_ids: list[int]) -> list[TrainingRecord]:
    return list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.user_id.in_(person_ids))
            .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
        )
    )


def minutes_of(person_ids: list[int], since: date | None = None) -> dict[int, int]:
    stmt = select(TrainingRecord.user_id, func.sum(TrainingRecord.minutes)).where(
        TrainingRecord.user_id.in_(person_ids)
    )
    if since is not None:
        stmt = stmt.where(TrainingRecord.completed_on >= since)
    return {uid: int(total or 0) for uid, total in db.session.execute(stmt.group_by(TrainingRecord.user_id))}


def certificates_of(person_ids: list[int]) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id.in_(person_ids))
            .order_by(Certificate.completed_on.desc(), Certificate.id.desc())
            .limit(200)
        )
    )


def certificates_to_verify() -> Select[tuple[Certificate]]:
    """Uploaded certificates whose file is clean and ready, waiting for the coordinator, oldest first."""
    from portal.core.uploads import READY, StoredFile

    # The file's status unindexed (portal.core.db.unindexed), as for newsletters: found from the certificates
    # awaiting a decision, not looked for among every ready file in the service.
    return (
        select(Certificate)
        .join(StoredFile, StoredFile.id == Certificate.stored_file_id)
        .where(Certificate.status == CertificateStatus.AWAITING, unindexed(StoredFile.status) == READY)
        .order_by(Certificate.created_at)
    )


def household_member_ids(household: Household | None) -> list[int]:
    if household is None:
        return []
    return list(db.session.scalars(select(HouseholdMember.user_id).where(HouseholdMember.household_id == household.id)))


def overlapping(person_id: int, session: TrainingSession) -> list[Booking]:
    """The person's other bookings holding a place (booked, or a place offered) on a session one of whose parts
    overlaps one of this session's parts. A session in parts a week apart clashes only where a part does, not across
    the weeks between its first and last parts."""
    candidates = db.session.scalars(
        select(Booking)
        .join(Booking.session)
        .where(
            Booking.user_id == person_id,
            Booking.session_id != session.id,
            Booking.status.in_(HOLDS_PLACE),
            TrainingSession.cancelled_at.is_(None),
            and_(TrainingSession.starts_at < session.ends_at, TrainingSession.ends_at > session.starts_at),
        )
        .order_by(TrainingSession.starts_at)
    )
    return [
        booking
        for booking in candidates
        if any(
            other.starts_at < mine.ends_at and other.ends_at > mine.starts_at
            for other in booking.session.parts
            for mine in session.parts
        )
    ]
