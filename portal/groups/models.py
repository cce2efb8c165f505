"""Support groups, their recurring meetings and the exceptions to them, followers, replies and calendar feeds."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, TimestampMixin, utcnow
from portal.people.models import Locality


class Audience(StrEnum):
    """Who a group is for (from the services' own reports of the groups carers run)."""

    ALL_CARERS = "all_carers"
    KINSHIP = "kinship"
    SPECIAL_GUARDIANS = "special_guardians"
    SONS_AND_DAUGHTERS = "sons_and_daughters"
    MEN_WHO_CARE = "men_who_care"
    REFLECTIVE = "reflective"
    WALK_AND_TALK = "walk_and_talk"
    MOCKINGBIRD = "mockingbird"
    APPLICANTS = "applicants"


AUDIENCE_LABELS = {
    Audience.ALL_CARERS: "All foster carers",
    Audience.KINSHIP: "Kinship and connected carers",
    Audience.SPECIAL_GUARDIANS: "Special guardians",
    Audience.SONS_AND_DAUGHTERS: "Sons and daughters of carers",
    Audience.MEN_WHO_CARE: "Men who care",
    Audience.REFLECTIVE: "Reflective group",
    Audience.WALK_AND_TALK: "Walk and talk",
    Audience.MOCKINGBIRD: "Mockingbird constellation",
    Audience.APPLICANTS: "Applicants",
}


class SupportGroup(IdMixin, TimestampMixin, Base):
    """A group's listing and its meeting pattern. Times are wall-clock times in Europe/London: a meeting at 10:00
    stays at 10:00 across the clock change. `rrule` is an RFC 5545 RRULE (without DTSTART), e.g.
    "FREQ=MONTHLY;BYDAY=+2TU"; `first_meeting` is its DTSTART date."""

    __tablename__ = "support_groups"

    name: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(30), index=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    is_online: Mapped[bool] = mapped_column(default=False)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(400), default="")
    access_notes: Mapped[str] = mapped_column(String(600), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    rrule: Mapped[str] = mapped_column(String(300))
    first_meeting: Mapped[date]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    term_time_only: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    locality: Mapped[Locality] = relationship(lazy="joined")
    coordinators: Mapped[list[GroupCoordinator]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="selectin", order_by="GroupCoordinator.id"
    )
    breaks: Mapped[list[GroupBreak]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="selectin", order_by="GroupBreak.starts_on"
    )
    changes: Mapped[list[MeetingChange]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="selectin", order_by="MeetingChange.original_date"
    )

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[Audience(self.audience)]

    @property
    def place(self) -> str:
        """Where, for calendars and lists: the venue and address, or "Online" (the link is never put in a feed)."""
        if self.is_online:
            return "Online"
        return ", ".join(part for part in (self.venue_name, self.venue_address) if part)

    def coordinated_by(self, user_id: int) -> bool:
        return any(c.user_id == user_id for c in self.coordinators)


class GroupCoordinator(Base):
    """A carer or member of staff who leads a group (holding the group coordinator role)."""

    __tablename__ = "group_coordinators"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    group: Mapped[SupportGroup] = relationship(back_populates="coordinators")
    user: Mapped[User] = relationship(lazy="joined")


class GroupBreak(IdMixin, Base):
    """Days a group does not meet, inclusive (its August break, Christmas). With `every_year` only the day and
    month count, so "20 December to 3 January" is every Christmas."""

    __tablename__ = "group_breaks"

    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    every_year: Mapped[bool] = mapped_column(default=False)

    group: Mapped[SupportGroup] = relationship(back_populates="breaks")


class MeetingChange(IdMixin, Base):
    """One meeting moved or cancelled. `original_date` names the meeting the pattern gave; a moved meeting has a
    new date and times (and, optionally, a note such as a different room)."""

    __tablename__ = "group_meeting_changes"
    __table_args__ = (UniqueConstraint("group_id", "original_date"),)

    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    original_date: Mapped[date]
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    new_date: Mapped[date | None]
    new_starts_at: Mapped[time | None]
    new_ends_at: Mapped[time | None]
    note: Mapped[str] = mapped_column(String(300), default="")

    group: Mapped[SupportGroup] = relationship(back_populates="changes")


class SchoolHoliday(IdMixin, Base):
    """The council area's school holidays (inclusive), kept by an admin; "term time" groups skip them."""

    __tablename__ = "school_holidays"

    label: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]


class GroupFollower(Base):
    __tablename__ = "group_followers"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingReply(Base):
    """ "I'm coming" to one meeting, named by the date the pattern gave it."""

    __tablename__ = "group_meeting_replies"
    __table_args__ = (UniqueConstraint("group_id", "meeting_date", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    meeting_date: Mapped[date]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class GroupAnnouncement(IdMixin, Base):
    __tablename__ = "group_announcements"

    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[User | None] = relationship(lazy="joined")


class IntroductionConsent(Base):
    """A carer's answer to "may the coordinators of local groups be told about you, so they can invite you?"."""

    __tablename__ = "group_introduction_consents"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    agreed: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupWelcome(Base):
    """A coordinator was told about a new carer for this group: once per group and carer."""

    __tablename__ = "group_welcomes"
    __table_args__ = (UniqueConstraint("group_id", "carer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id", ondelete="CASCADE"), index=True)
    carer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(IdMixin, Base):
    """A person's calendar subscription address. Only the token's SHA-256 is kept; revoking (or making a new
    address) sets `revoked_at`, after which the old address answers 404."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
