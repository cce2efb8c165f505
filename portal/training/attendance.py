"""The register: attendance marked on the day, hours credited to the learning record, certificates issued; and the
short evaluation a person gives after attending."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from portal.auth.models import User
from portal.core import audit, clock
from portal.core.db import db
from portal.core.unit_of_work import transactional
from portal.people.models import Household
from portal.records.models import Folder
from portal.records.services import file_generated_document
from portal.training.documents import certificate_pdf
from portal.training.models import (
    ATTENDANCE,
    Booking,
    BookingStatus,
    Certificate,
    CertificateStatus,
    Evaluation,
    RecordSource,
    TrainingRecord,
    TrainingSession,
)
from portal.training.rules import expiry_of


class AttendanceRefused(ValueError):
    pass


MARKABLE = (BookingStatus.BOOKED, *ATTENDANCE)


def credited_minutes(booking_status: str, course_minutes: int) -> int:
    """Attended: the course's hours; partly attended: half of them (the coordinator's convention, so a carer who
    left at lunch is credited the morning); absent: none."""
    if booking_status == BookingStatus.ATTENDED:
        return course_minutes
    if booking_status == BookingStatus.PARTLY:
        return course_minutes // 2
    return 0


@transactional
def mark_register(
    actor: User, session: TrainingSession, marks: dict[int, str], *, now: datetime | None = None
) -> list[int]:
    """Mark each booking (id -> attended / partly / absent). Attended and partly attended are credited to the learning
    record; a certificate is made for attending in full (a job, after commit). Marking again corrects the record.
    Returns the ids of bookings that need a certificate. Raises AttendanceRefused before the session has started."""
    from portal.training.jobs import issue_certificate

    now = now or clock.now()
    if session.is_cancelled:
        raise AttendanceRefused("This session was cancelled")
    if session.starts_at > now:
        raise AttendanceRefused("The register opens when the session starts")
    bookings = {
        b.id: b
        for b in db.session.scalars(
            select(Booking).where(Booking.session_id == session.id, Booking.status.in_(MARKABLE))
        )
    }
    records = {
        r.booking_id: r
        for r in db.session.scalars(select(TrainingRecord).where(TrainingRecord.booking_id.in_(list(bookings))))
    }
    certify = []
    for booking_id, status in marks.items():
        booking = bookings.get(booking_id)
        if booking is None or status not in ATTENDANCE:
            continue
        booking.status, booking.attendance_marked_by_id, booking.attendance_marked_at = status, actor.id, now
        booking.minutes_credited = credited_minutes(status, session.course.minutes)
        record = records.get(booking.id)
        if booking.minutes_credited:
            completed_on = session.ends_at.astimezone(clock.LONDON).date()
            if record is None:
                record = TrainingRecord(
                    user_id=booking.user_id,
                    household_id=booking.household_id,
                    course_id=session.course_id,
                    booking_id=booking.id,
                    title=session.course.title,
                    source=RecordSource.ATTENDED,
                    recorded_by_id=actor.id,
                    completed_on=completed_on,
                    minutes=0,
                )
                db.session.add(record)
            record.minutes, record.completed_on = booking.minutes_credited, completed_on
            record.expires_on = expiry_of(completed_on, session.course.expiry_months)
            if status == BookingStatus.ATTENDED:
                certify.append(booking.id)
        elif record is not None:
            _withdraw_certificate(record, actor)
            db.session.delete(record)
    db.session.flush()
    audit.record(
        db.session,
        "training_register_marked",
        actor_id=actor.id,
        object_type="training_session",
        object_id=session.id,
        marked=len(marks),
    )
    from portal.core.jobs import enqueue

    for booking_id in certify:
        enqueue(issue_certificate, booking_id)
    return certify


def _withdraw_certificate(record: TrainingRecord, actor: User) -> None:
    certificate = db.session.scalar(select(Certificate).where(Certificate.record_id == record.id))
    if certificate is not None:
        certificate.record_id = None
        certificate.status, certificate.refusal_reason = CertificateStatus.REFUSED, "Attendance corrected to absent"
        certificate.decided_by_id, certificate.decided_at = actor.id, clock.now()


@transactional
def issue_certificate_for(booking_id: int) -> Certificate | None:
    """Make the certificate PDF for someone who attended in full and file it in their household's cabinet
    (training certificates). Idempotent: nothing happens when one exists or the booking is no longer attended."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.status != BookingStatus.ATTENDED:
        return None
    record = db.session.scalar(select(TrainingRecord).where(TrainingRecord.booking_id == booking.id))
    if record is None or db.session.scalar(select(Certificate.id).where(Certificate.record_id == record.id)):
        return None
    session = booking.session
    pdf = certificate_pdf(
        name=booking.user.full_name,
        course=session.course.title,
        completed_on=record.completed_on,
        minutes=record.minutes,
        trainer=session.trainer_name,
        council=current_app.config["COUNCIL_NAME"],
    )
    actor_id = booking.attendance_marked_by_id or booking.booked_by_id
    title = f"{session.course.title}: {booking.user.full_name}"
    document_id = stored = None
    if booking.household_id is not None:
        household = db.session.get(Household, booking.household_id)
        document = file_generated_document(
            actor_id,
            household,
            folder=Folder.TRAINING_CERTIFICATES,
            title=title,
            document_date=record.completed_on,
            pdf=pdf,
        )
        document_id, stored = document.id, document.versions[0].file
    else:
        from portal.core.generated_files import store_generated

        stored = store_generated(
            pdf,
            kind="pdf",
            name=f"{title}.pdf",
            purpose="training_certificate",
            prefix=f"training/{booking.user_id}",
            uploaded_by_id=actor_id,
        )
    certificate = Certificate(
        user_id=booking.user_id,
        household_id=booking.household_id,
        record_id=record.id,
        file=stored,
        household_document_id=document_id,
        is_generated=True,
        title=session.course.title,
        completed_on=record.completed_on,
        minutes=record.minutes,
        status=CertificateStatus.VERIFIED,
        decided_by_id=actor_id,
        decided_at=clock.now(),
    )
    db.session.add(certificate)
    return certificate


@transactional
def give_evaluation(
    actor: User, booking: Booking, *, usefulness: int, before: int, after: int, comments: str
) -> Evaluation:
    """The person who attended says how useful it was and how confident they felt before and after (1–5). One per
    booking. Raises AttendanceRefused otherwise."""
    if booking.user_id != actor.id:
        raise AttendanceRefused("Only the person who attended can give this evaluation")
    if booking.status not in (BookingStatus.ATTENDED, BookingStatus.PARTLY):
        raise AttendanceRefused("You can give an evaluation once your attendance is recorded")
    if db.session.scalar(select(Evaluation.id).where(Evaluation.booking_id == booking.id)):
        raise AttendanceRefused("You have already given your evaluation of this session. Thank you")
    evaluation = Evaluation(
        booking_id=booking.id,
        session_id=booking.session_id,
        usefulness=usefulness,
        confidence_before=before,
        confidence_after=after,
        comments=comments.strip(),
    )
    db.session.add(evaluation)
    return evaluation
