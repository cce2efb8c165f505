"""Training's parts of shared pages, registered once at start-up: "what needs me" items and the calendar feed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam, func, or_, select

from portal.auth.roles import Role
from portal.core import clock
from portal.core.calendar import register_feed_source
from portal.core.db import UTC, db, fixed_in
from portal.core.links import path_to
from portal.core.need_rows import need_columns
from portal.hub.needs import Need, NeedRows, register_need_rows, register_need_source
from portal.training.calendar import feed_events
from portal.training.models import Booking, BookingStatus, Course, Evaluation, TrainingSession
from portal.training.queries import certificates_to_verify

_registered = False
EVALUATION_DAYS = 30  # an evaluation is asked for within a month of the session


# The carer's two sources run on every visit to their home page: row sources (portal.hub.needs.NeedRows), read with
# the person's other items in one statement built once, selecting only the columns their texts need.
_bookings, _sessions, _courses = Booking.__table__, TrainingSession.__table__, Course.__table__
_evaluations = Evaluation.__table__
_OFFERS = (
    select(*need_columns(ref=_bookings.c.session_id, label=_courses.c.title, at=_bookings.c.updated_at))
    .join_from(_bookings, _sessions, _sessions.c.id == _bookings.c.session_id)
    .join(_courses, _courses.c.id == _sessions.c.course_id)
    .where(_bookings.c.user_id == bindparam("user_id"), _bookings.c.status == BookingStatus.OFFERED)
    .order_by(_bookings.c.offer_expires_at)
    .limit(5)
)
_TO_EVALUATE = (
    select(*need_columns(ref=_bookings.c.id, label=_courses.c.title, at=_sessions.c.ends_at))
    .join_from(_bookings, _sessions, _sessions.c.id == _bookings.c.session_id)
    .join(_courses, _courses.c.id == _sessions.c.course_id)
    .outerjoin(_evaluations, _evaluations.c.booking_id == _bookings.c.id)
    .where(
        _bookings.c.user_id == bindparam("user_id"),
        fixed_in(_bookings.c.status, (BookingStatus.ATTENDED, BookingStatus.PARTLY)),
        _sessions.c.ends_at >= bindparam("training_evaluations_since", type_=UTC()),
        _evaluations.c.id.is_(None),
    )
    .order_by(_sessions.c.ends_at.desc())
    .limit(3)
)


def offer_need(row) -> Need:
    """A place offered from the waiting list that waits for the person's answer (the newest few)."""
    return Need(
        kind="training_offer",
        text=f"A place on {row.label} is offered to you: answer before it goes to the next person",
        href=path_to("training.show_session", session_id=row.ref),
        at=row.at,
    )


def evaluation_need(row) -> Need:
    """A session the person attended in the last EVALUATION_DAYS and has not evaluated yet."""
    return Need(
        kind="training_evaluation",
        text=f"Tell us what you thought of {row.label}",
        href=path_to("training.evaluate_booking", booking_id=row.ref),
        at=row.at,
    )


def coordinator_queue(user, on: date) -> list[Need]:
    """Certificates to verify (a count and the oldest) and past sessions whose register is not marked yet."""
    queue = certificates_to_verify().subquery()
    count, oldest = db.session.execute(select(func.count(), func.min(queue.c.created_at))).one()
    needs = []
    if count:
        needs.append(
            Need(
                kind="training_certificates",
                text=f"{count} uploaded certificate{'s' if count != 1 else ''} to verify",
                href=path_to("training.list_certificates"),
                at=oldest,
                count=count,
                oldest=oldest,
            )
        )
    now = clock.now()
    unmarked = (
        select(TrainingSession.id, TrainingSession.ends_at)
        .where(
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.ends_at <= now,
            TrainingSession.ends_at >= now - timedelta(days=60),
            select(Booking.id)
            .where(Booking.session_id == TrainingSession.id, Booking.status == BookingStatus.BOOKED)
            .exists(),
        )
        .subquery()
    )
    count, oldest = db.session.execute(select(func.count(), func.min(unmarked.c.ends_at))).one()
    if count:
        needs.append(
            Need(
                kind="training_registers",
                text=f"{count} session register{'s' if count != 1 else ''} to mark",
                href=path_to("training.list_programme", show="past"),
                at=oldest,
                count=count,
                oldest=oldest,
            )
        )
    return needs


def caseload_behind(user, on: date) -> list[Need]:
    """For a supervising social worker: how many caseload households are behind with their TSD standards
    (rules.tsd_behind). One query reading a few columns of the households still followed (approved recently
    enough: an index on the SSW, status and approval date finds them) with the count of their sign-offs."""
    from portal.people.models import Household, HouseholdStatus
    from portal.training.models import TsdSignOff
    from portal.training.rules import (
        FAMILY_AND_FRIENDS,
        first_approval_followed,
        standards_for,
        tsd_behind,
        tsd_deadline,
    )

    since = min(first_approval_followed(carer_type, on) for carer_type in (None, *FAMILY_AND_FRIENDS))
    family = Household.carer_type.in_(FAMILY_AND_FRIENDS)
    # A standard signed off that the household need not evidence (7, for family and friends carers) does not count.
    needed = or_(~family, TsdSignOff.standard.in_(standards_for(next(iter(FAMILY_AND_FRIENDS)))))
    rows = db.session.execute(
        select(Household.carer_type, Household.approval_date, func.count(TsdSignOff.id).filter(needed))
        .outerjoin(TsdSignOff, TsdSignOff.household_id == Household.id)
        .where(
            Household.ssw_id == user.id,
            Household.status == HouseholdStatus.ACTIVE,
            Household.approval_date >= since,
        )
        .group_by(Household.id, Household.carer_type, Household.approval_date)
    )
    behind = 0
    for carer_type, approved, signed in rows:
        if tsd_behind(len(standards_for(carer_type)), signed, tsd_deadline(carer_type, approved), on):
            behind += 1
    if not behind:
        return []
    return [
        Need(
            kind="training_tsd_behind",
            text=f"{behind} household{'s' if behind != 1 else ''} behind with the TSD standards",
            href=path_to("training.list_training_households"),
            at=on,
            count=behind,
        )
    ]


def register_providers() -> None:
    """Once per process (the app factory may run many times, in tests)."""
    global _registered
    register_feed_source("training", feed_events)  # by name: registering again replaces it
    if _registered:
        return
    _registered = True
    learners = frozenset((Role.CARER, Role.APPLICANT))
    register_need_rows(NeedRows("training_offers", learners, _OFFERS, offer_need))
    register_need_rows(
        NeedRows(
            "training_evaluations",
            learners,
            _TO_EVALUATE,
            evaluation_need,
            lambda now, today: {"training_evaluations_since": now - timedelta(days=EVALUATION_DAYS)},
        )
    )
    register_need_source((Role.TRAINING_COORDINATOR,), coordinator_queue)
    register_need_source((Role.SSW,), caseload_behind)
