"""The training programme: courses, sessions and their parts, bookings with the waiting list, evaluations, the
learning record, certificates and the household's TSD standards sign-offs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, utcnow
from portal.core.uploads import StoredFile
from portal.people.models import Household


class Audience(StrEnum):
    EVERYONE = "everyone"
    MAINSTREAM = "mainstream"
    KINSHIP = "kinship"
    SHORT_BREAKS = "short_breaks"
    APPLICANTS = "applicants"


AUDIENCE_LABELS = {
    Audience.EVERYONE: "Everyone",
    Audience.MAINSTREAM: "Mainstream carers",
    Audience.KINSHIP: "Kinship and connected carers",
    Audience.SHORT_BREAKS: "Short breaks carers",
    Audience.APPLICANTS: "Applicants",
}


class CourseFormat(StrEnum):
    VENUE = "venue"
    ONLINE = "online"
    ELEARNING = "elearning"


FORMAT_LABELS = {
    CourseFormat.VENUE: "At a venue",
    CourseFormat.ONLINE: "Live online",
    CourseFormat.ELEARNING: "E-learning",
}


class BookingStatus(StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    OFFERED = "offered"  # a place from the waiting list, held until offer_expires_at
    LAPSED = "lapsed"  # an offer declined or not answered in time
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"  # cancelled after the booking deadline
    ATTENDED = "attended"
    PARTLY = "partly"
    ABSENT = "absent"


BOOKING_LABELS = {
    BookingStatus.BOOKED: "Booked",
    BookingStatus.WAITING: "On the waiting list",
    BookingStatus.OFFERED: "Place offered",
    BookingStatus.LAPSED: "Offer not taken",
    BookingStatus.CANCELLED: "Cancelled",
    BookingStatus.LATE_CANCELLED: "Cancelled late",
    BookingStatus.ATTENDED: "Attended",
    BookingStatus.PARTLY: "Partly attended",
    BookingStatus.ABSENT: "Absent",
}
BOOKING_TAGS = {
    BookingStatus.BOOKED: "green",
    BookingStatus.WAITING: "yellow",
    BookingStatus.OFFERED: "orange",
    BookingStatus.LAPSED: "grey",
    BookingStatus.CANCELLED: "grey",
    BookingStatus.LATE_CANCELLED: "red",
    BookingStatus.ATTENDED: "green",
    BookingStatus.PARTLY: "turquoise",
    BookingStatus.ABSENT: "red",
}
# A booking that holds one of the session's places (counted in TrainingSession.booked_count).
HOLDS_PLACE = (BookingStatus.BOOKED, BookingStatus.OFFERED)
LIVE = (BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.WAITING)
ATTENDANCE = (BookingStatus.ATTENDED, BookingStatus.PARTLY, BookingStatus.ABSENT)


def _codes(text: str | None) -> list[str]:
    return [c for c in (text or "").split(",") if c]


class Course(IdMixin, Base):
    """A course in the programme. `tsd_standards` and `mandatory_for` are stored as ",1,4," and ",mainstream,kinship,"
    so that a portable LIKE finds a code without JSON operators (SQLite and PostgreSQL alike)."""

    __tablename__ = "training_courses"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(60), index=True)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.EVERYONE)
    format: Mapped[str] = mapped_column(String(20), default=CourseFormat.VENUE)
    minutes: Mapped[int]  # the hours it counts for in a carer's record, in minutes
    tsd_standards: Mapped[str] = mapped_column(String(40), default="")
    mandatory_for: Mapped[str] = mapped_column(String(300), default="")
    expiry_months: Mapped[int | None]  # e.g. 36 for first aid; None: never expires
    elearning_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def standards(self) -> list[int]:
        return [int(c) for c in _codes(self.tsd_standards)]

    @property
    def mandatory_types(self) -> list[str]:
        return _codes(self.mandatory_for)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[Audience(self.audience)]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[CourseFormat(self.format)]


class TrainingSession(IdMixin, Base):
    """One run of a course: one or more parts, a place, a capacity. `booked_count` is the number of places held
    (booked or offered), changed only by conditional UPDATEs so that exactly `capacity` are ever held."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("booked_count >= 0 AND booked_count <= capacity", name="places_within_capacity"),
        Index("ix_training_sessions_starts_at", "starts_at"),
    )

    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    starts_at: Mapped[datetime]  # the first part's start (kept with the parts, for ordering and filters)
    ends_at: Mapped[datetime]  # the last part's end
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(500), default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    joining_link: Mapped[str | None] = mapped_column(String(500))  # shown only to people booked
    capacity: Mapped[int]
    booked_count: Mapped[int] = mapped_column(default=0)
    waiting_seq: Mapped[int] = mapped_column(default=0)  # the last waiting-list rank handed out
    trainer_name: Mapped[str] = mapped_column(String(200), default="")
    booking_deadline: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    parts: Mapped[list[SessionPart]] = relationship(
        back_populates="session", lazy="selectin", order_by="SessionPart.starts_at", cascade="all, delete-orphan"
    )

    @property
    def booking_last_day(self) -> date | None:
        """The last day to book, when booking closes at midnight (London) at the end of it, as the session form sets
        it; None for a deadline at another time of day."""
        from portal.core.clock import LONDON

        local = self.booking_deadline.astimezone(LONDON)
        if (local.hour, local.minute, local.second) != (0, 0, 0):
            return None
        return (local - timedelta(days=1)).date()

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked_count)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SessionPart(IdMixin, Base):
    __tablename__ = "training_session_parts"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    session: Mapped[TrainingSession] = relationship(back_populates="parts")


class Booking(IdMixin, Base):
    """A person's place on a session, or their place in its waiting list. One row per person and session: booking
    again after cancelling reuses it, so a double tap or a retry can never hold two places."""

    __tablename__ = "training_bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_training_bookings_user_status", "user_id", "status"),
        Index("ix_training_bookings_session_status", "session_id", "status"),
    )

    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)  # None: applicant
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    waiting_rank: Mapped[int | None]  # order in the waiting list (lowest first)
    offer_expires_at: Mapped[datetime | None]
    minutes_credited: Mapped[int | None]
    attendance_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attendance_marked_at: Mapped[datetime | None]
    reminder_week_sent_at: Mapped[datetime | None]
    reminder_day_sent_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[TrainingSession] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    household: Mapped[Household | None] = relationship()

    @property
    def status_label(self) -> str:
        return BOOKING_LABELS[BookingStatus(self.status)]

    @property
    def status_tag(self) -> str:
        return BOOKING_TAGS[BookingStatus(self.status)]

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE


class Evaluation(IdMixin, Base):
    """What a person thought of a session they attended (1–5 scales). Reports show only totals and comments, never
    who wrote them."""

    __tablename__ = "training_evaluations"
    __table_args__ = (
        CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_1_to_5"),
        CheckConstraint("confidence_before BETWEEN 1 AND 5", name="before_1_to_5"),
        CheckConstraint("confidence_after BETWEEN 1 AND 5", name="after_1_to_5"),
    )

    booking_id: Mapped[int] = mapped_column(ForeignKey("training_bookings.id"), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    usefulness: Mapped[int]
    confidence_before: Mapped[int]
    confidence_after: Mapped[int]
    comments: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordSource(StrEnum):
    ATTENDED = "attended"  # from a register
    IMPORTED = "imported"  # brought in from the service's earlier records
    EXTERNAL = "external"  # a certificate from elsewhere, verified by the coordinator


class TrainingRecord(IdMixin, Base):
    """One line of a person's learning record: a course done on a date, for so many minutes."""

    __tablename__ = "training_records"
    __table_args__ = (Index("ix_training_records_user_completed", "user_id", "completed_on"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_courses.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("training_bookings.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date]
    minutes: Mapped[int]
    expires_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(20))
    certificate_reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course | None] = relationship(lazy="joined")

    @property
    def is_imported(self) -> bool:
        return self.source == RecordSource.IMPORTED


class CertificateStatus(StrEnum):
    AWAITING = "awaiting"  # uploaded, waiting for the coordinator
    VERIFIED = "verified"
    REFUSED = "refused"


class Certificate(IdMixin, Base):
    """A certificate: made by Hearth on attendance (verified at once) or uploaded by a carer (a course elsewhere, or
    a TSD workbook page when `tsd_standard` is set) and verified or refused by the coordinator."""

    __tablename__ = "training_certificates"
    __table_args__ = (Index("ix_training_certificates_status", "status"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("training_records.id"), unique=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), unique=True)
    household_document_id: Mapped[int | None] = mapped_column(ForeignKey("household_documents.id"))
    is_generated: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date]
    minutes: Mapped[int] = mapped_column(default=0)
    tsd_standard: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=CertificateStatus.AWAITING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class TsdSignOff(IdMixin, Base):
    """The supervising social worker's sign-off of one TSD standard for a household (one shared workbook)."""

    __tablename__ = "training_tsd_sign_offs"
    __table_args__ = (UniqueConstraint("household_id", "standard"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    standard: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    signed_off_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime] = mapped_column(default=utcnow)

    signed_off_by: Mapped[User] = relationship(lazy="joined")
