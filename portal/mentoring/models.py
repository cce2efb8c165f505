"""Mentoring: mentees (applicants and first-year carers), mentor profiles, locality neighbours, matches and their
history, conversations, message reports, logged contacts and the effective-dated pay model."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, TimestampMixin, utcnow
from portal.core.uploads import StoredFile
from portal.people.models import Household, Locality


def split(value: str | None) -> list[str]:
    """A comma-separated column as a list (the option lists are short and fixed, so no join table)."""
    return [v for v in (value or "").split(",") if v]


class AgeGroup(StrEnum):
    UNDER_5 = "under_5"
    AGE_5_10 = "5_10"
    AGE_11_15 = "11_15"
    AGE_16_PLUS = "16_plus"


AGE_GROUP_LABELS = {
    AgeGroup.UNDER_5: "under-5s",
    AgeGroup.AGE_5_10: "5 to 10s",
    AgeGroup.AGE_11_15: "11 to 15s",
    AgeGroup.AGE_16_PLUS: "16 and over",
}

AVAILABILITY_LABELS = {
    "weekday_daytime": "weekday daytime",
    "evenings": "evenings",
    "weekends": "weekends",
}
WAY_LABELS = {"in_person": "in person", "phone": "phone", "video": "video"}

STAGE_LABELS = {
    "enquiry": "Enquiry",
    "stage_1": "Assessment stage 1",
    "stage_2": "Assessment stage 2",
    "panel": "Waiting for panel",
    "approved": "Approved (first year)",
}


class MatchStatus(StrEnum):
    PROPOSED = "proposed"  # the mentor is asked; they have 3 days
    ACCEPTED = "accepted"  # the mentor said yes; the coordinator introduces them
    INTRODUCED = "introduced"  # both know each other; first contact due within 7 days
    ACTIVE = "active"  # agreement meeting held
    ENDED = "ended"
    DECLINED = "declined"  # the mentor said no
    TIMED_OUT = "timed_out"  # the mentor did not answer in time


LIVE_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.INTRODUCED, MatchStatus.ACTIVE)
# Statuses in which the two people know each other and may write to each other.
TALKING_STATUSES = (MatchStatus.INTRODUCED, MatchStatus.ACTIVE)

MATCH_STATUS_LABELS = {
    MatchStatus.PROPOSED: "Waiting for the mentor",
    MatchStatus.ACCEPTED: "Accepted, to introduce",
    MatchStatus.INTRODUCED: "Introduced",
    MatchStatus.ACTIVE: "Active",
    MatchStatus.ENDED: "Ended",
    MatchStatus.DECLINED: "Declined by the mentor",
    MatchStatus.TIMED_OUT: "Not answered in time",
}

RESPONSE_LABELS = {"wants": "Wants a mentor", "declined": "Does not want one", "no_answer": "No answer yet"}
OFFER_HOW_LABELS = {"phone": "Phone", "email": "Email", "letter": "Letter", "in_person": "In person"}
WITHDREW_STEP_LABELS = {
    "before_offer": "Before being offered a mentor",
    "offered": "After the offer, before answering",
    "waiting": "While waiting for a match",
    "matched": "After being matched",
}
CONTACT_HOW_LABELS = {"phone": "Phone", "video": "Video call", "in_person": "In person", "message": "Messages"}
TOPIC_LABELS = {
    "tsd": "TSD standards",
    "first_placement": "First placement",
    "allowances": "Allowances and payments",
    "support_groups": "Support groups",
    "visit": "A visit",
    "mileage": "Mileage",
    "assessment": "The assessment",
    "wellbeing": "How they are coping",
}
PAY_MODEL_LABELS = {
    "per_contact": "Per contact",
    "per_hour": "Per hour",
    "per_mentee_month": "Per mentee per month",
}


class LocalityNeighbour(IdMixin, Base):
    """Two localities close enough that a mentor in one suits a mentee in the other (kept by the admin, both ways)."""

    __tablename__ = "mentoring_locality_neighbours"
    __table_args__ = (UniqueConstraint("locality_id", "neighbour_id"),)

    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id", ondelete="CASCADE"), index=True)
    neighbour_id: Mapped[int] = mapped_column(ForeignKey("localities.id", ondelete="CASCADE"))


class Mentee(IdMixin, TimestampMixin, Base):
    """Someone offered a mentor: an applicant in assessment, or a carer in their first year after approval.

    `user_id` is set once they have an account (an applicant invited by staff has one after accepting the invitation).
    The funnel (offered → responded → matched → agreement meeting → active → ended / withdrew) is read from these
    columns and from the person's matches.
    """

    __tablename__ = "mentoring_mentees"

    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    assessing_worker: Mapped[str | None] = mapped_column(String(200))  # the assessing social worker's name
    stage: Mapped[str] = mapped_column(String(20), default="stage_1")
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id"), index=True)
    fostering_type: Mapped[str] = mapped_column(String(30))  # a people.models.CarerType value
    age_groups: Mapped[str] = mapped_column(String(100), default="")
    languages: Mapped[str] = mapped_column(String(200), default="english")
    availability: Mapped[str] = mapped_column(String(100), default="")
    ways: Mapped[str] = mapped_column(String(100), default="")
    # The funnel
    offered_on: Mapped[date | None]
    offered_how: Mapped[str | None] = mapped_column(String(20))
    response: Mapped[str | None] = mapped_column(String(20))  # wants | declined | no_answer
    responded_on: Mapped[date | None]
    offer_reminded_on: Mapped[date | None]
    withdrew_on: Mapped[date | None]
    withdrew_at_step: Mapped[str | None] = mapped_column(String(20))
    # Approval as a carer (the person keeps their account and gains the carer role)
    approved_on: Mapped[date | None]
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    # Regulation 24 (Care Planning, Placement and Case Review (England) Regulations 2010): temporary approval of a
    # connected person for up to 16 weeks, extendable once by up to 8 weeks (Regulation 25).
    temporary_until: Mapped[date | None]
    temporary_extended_until: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    locality: Mapped[Locality] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    household: Mapped[Household | None] = relationship()

    @property
    def age_group_list(self) -> list[str]:
        return split(self.age_groups)

    @property
    def is_waiting(self) -> bool:
        return self.response == "wants" and self.withdrew_on is None


class MentorProfile(IdMixin, TimestampMixin, Base):
    """What a mentor offers. Hard limits for matching: capacity, taking new mentees, training completed."""

    __tablename__ = "mentoring_mentor_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    years_fostering: Mapped[int] = mapped_column(default=0)
    fostering_types: Mapped[str] = mapped_column(String(300), default="")
    age_groups: Mapped[str] = mapped_column(String(100), default="")
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id"), index=True)
    languages: Mapped[str] = mapped_column(String(200), default="english")
    availability: Mapped[str] = mapped_column(String(100), default="")
    ways: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int] = mapped_column(default=2)
    training_completed_on: Mapped[date | None]
    taking_mentees: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship(lazy="joined")
    locality: Mapped[Locality] = relationship(lazy="joined")


class Match(IdMixin, Base):
    """A mentor and a mentee, from the proposal to the end. A mentee has at most one live match (a partial unique
    index), so two coordinators matching the same person at once end with one match."""

    __tablename__ = "mentoring_matches"
    __table_args__ = (
        Index(
            "uq_mentoring_matches_one_live_per_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
            postgresql_where=text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
        ),
    )

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentoring_mentees.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=MatchStatus.PROPOSED, index=True)
    score: Mapped[int] = mapped_column(default=0)
    reasons: Mapped[str] = mapped_column(Text, default="")  # the reasons in words, one a line, as proposed
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    respond_by: Mapped[date]
    accepted_at: Mapped[datetime | None]
    introduced_on: Mapped[date | None]
    first_contact_on: Mapped[date | None]
    first_contact_reminded_on: Mapped[date | None]
    agreement_meeting_on: Mapped[date | None]
    agreement_meeting_held: Mapped[bool] = mapped_column(default=False)
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(500))
    mentee_feedback: Mapped[str | None] = mapped_column(Text)
    mentor_feedback: Mapped[str | None] = mapped_column(Text)

    mentee: Mapped[Mentee] = relationship(lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    mentee_user: Mapped[User | None] = relationship(foreign_keys=[mentee_user_id])

    @property
    def status_label(self) -> str:
        return MATCH_STATUS_LABELS[MatchStatus(self.status)]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def can_talk(self) -> bool:
        return self.status in TALKING_STATUSES

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.splitlines() if r]


class MatchEvent(IdMixin, Base):
    """The match's history, one row per step: who did what, when."""

    __tablename__ = "mentoring_match_events"

    match_id: Mapped[int] = mapped_column(ForeignKey("mentoring_matches.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    step: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(500))


class Message(IdMixin, Base):
    """One message in a match's conversation: text, and optionally one attachment through the upload pipeline."""

    __tablename__ = "mentoring_messages"
    __table_args__ = (Index("ix_mentoring_messages_match_id_id", "match_id", "id"),)

    match_id: Mapped[int] = mapped_column(ForeignKey("mentoring_matches.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))

    sender: Mapped[User | None] = relationship(lazy="joined")
    file: Mapped[StoredFile | None] = relationship(lazy="joined")


class ReadMark(IdMixin, Base):
    """The newest message a person has seen in a conversation: unread = newer messages from the other person."""

    __tablename__ = "mentoring_read_marks"
    __table_args__ = (UniqueConstraint("match_id", "user_id"),)

    match_id: Mapped[int] = mapped_column(ForeignKey("mentoring_matches.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_id: Mapped[int] = mapped_column(default=0)


class MessageReport(IdMixin, Base):
    """A message either person reported: the coordinator may then read that message (and only that one)."""

    __tablename__ = "mentoring_message_reports"
    __table_args__ = (UniqueConstraint("message_id", "reported_by_id"),)

    message_id: Mapped[int] = mapped_column(ForeignKey("mentoring_messages.id", ondelete="CASCADE"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    message: Mapped[Message] = relationship(lazy="joined")
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])


class Contact(IdMixin, Base):
    """A mentoring contact the mentor logged: paid in the next pay run as a `mentoring` line."""

    __tablename__ = "mentoring_contacts"

    match_id: Mapped[int] = mapped_column(ForeignKey("mentoring_matches.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_on: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int]
    how: Mapped[str] = mapped_column(String(20))
    topics: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship(lazy="joined")

    @property
    def topic_labels(self) -> list[str]:
        return [TOPIC_LABELS.get(t, t) for t in split(self.topics)]


class PayModel(IdMixin, Base):
    """How the service pays its mentors, effective-dated: per contact, per hour or per mentee per month.

    The amounts are payment rates (kind `mentoring`, codes `contact`, `hour`, `mentee_month`) on the payments
    rate table; this row says which of them applies from when.
    """

    __tablename__ = "mentoring_pay_models"

    model: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date] = mapped_column(unique=True)
    source: Mapped[str] = mapped_column(String(300), default="")
