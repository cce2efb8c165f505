"""Who may see and act on training objects; loaders answer 404 for anything a person may not see."""

from __future__ import annotations

from flask import abort

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.people.models import Household
from portal.people.queries import own_household_ids
from portal.training.models import Booking, Certificate, Course, TrainingSession
from portal.training.queries import (
    bookings_visible_to,
    certificates_visible_to,
    courses_visible_to,
    is_training_staff,
    sessions_visible_to,
    training_households_visible_to,
)


def can_manage_training(user: User) -> bool:
    return is_training_staff(user)


def can_act_on_booking(user: User, booking: Booking) -> bool:
    """The person booked, or a carer of their household, may cancel or answer an offer; so may training staff."""
    return (
        booking.user_id == user.id
        or (booking.household_id is not None and booking.household_id in own_household_ids(user))
        or is_training_staff(user)
    )


def can_sign_off_tsd(user: User, household: Household) -> bool:
    return user.has_role(Role.ADMIN) or (user.has_role(Role.SSW) and household.ssw_id == user.id)


def load_course(user: User, course_id: int) -> Course:
    course = db.session.scalar(courses_visible_to(user).where(Course.id == course_id))
    if course is None:
        not_found(user, "training_course", course_id)
    return course


def load_session(user: User, session_id: int) -> TrainingSession:
    session = db.session.scalar(sessions_visible_to(user).where(TrainingSession.id == session_id))
    if session is None:
        not_found(user, "training_session", session_id)
    return session


def load_booking(user: User, booking_id: int) -> Booking:
    booking = db.session.scalar(bookings_visible_to(user).where(Booking.id == booking_id))
    if booking is None:
        not_found(user, "training_booking", booking_id)
    return booking


def load_own_booking(user: User, booking_id: int) -> Booking:
    """A booking the person may act on (their own or their household's): one they may only see is 403."""
    booking = load_booking(user, booking_id)
    if not can_act_on_booking(user, booking):
        abort(403)
    return booking


def load_certificate(user: User, certificate_id: int) -> Certificate:
    certificate = db.session.scalar(certificates_visible_to(user).where(Certificate.id == certificate_id))
    if certificate is None:
        not_found(user, "training_certificate", certificate_id)
    return certificate


def load_training_household(user: User, household_id: int) -> Household:
    household = db.session.scalar(training_households_visible_to(user).where(Household.id == household_id))
    if household is None:
        not_found(user, "household", household_id)
    return household
