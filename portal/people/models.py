"""Households, carers, children and placements: the facts every access rule in Hearth follows from."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, TimestampMixin


class CarerType(StrEnum):
    MAINSTREAM = "mainstream"
    KINSHIP = "kinship"
    SHORT_BREAKS = "short_breaks"
    SPECIALIST = "specialist"
    PARENT_AND_CHILD = "parent_and_child"
    SUPPORTED_LODGINGS = "supported_lodgings"
    STAYING_PUT = "staying_put"
    MOCKINGBIRD = "mockingbird"


CARER_TYPE_LABELS = {
    CarerType.MAINSTREAM: "Mainstream",
    CarerType.KINSHIP: "Connected person (kinship)",
    CarerType.SHORT_BREAKS: "Short breaks",
    CarerType.SPECIALIST: "Specialist",
    CarerType.PARENT_AND_CHILD: "Parent and child",
    CarerType.SUPPORTED_LODGINGS: "Supported lodgings",
    CarerType.STAYING_PUT: "Staying Put",
    CarerType.MOCKINGBIRD: "Mockingbird hub home",
}


class HouseholdStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    RESIGNED = "resigned"


HOUSEHOLD_STATUS_LABELS = {
    HouseholdStatus.ACTIVE: "Active",
    HouseholdStatus.ON_HOLD: "On hold",
    HouseholdStatus.RESIGNED: "Resigned",
}


class PlacementType(StrEnum):
    LONG_TERM = "long_term"
    SHORT_TERM = "short_term"
    EMERGENCY = "emergency"
    SHORT_BREAK = "short_break"
    REGULATION_24 = "regulation_24"
    PARENT_AND_CHILD = "parent_and_child"
    STAYING_PUT = "staying_put"


PLACEMENT_TYPE_LABELS = {
    PlacementType.LONG_TERM: "Long term",
    PlacementType.SHORT_TERM: "Short term",
    PlacementType.EMERGENCY: "Emergency",
    PlacementType.SHORT_BREAK: "Short break",
    PlacementType.REGULATION_24: "Regulation 24 (temporary approval)",
    PlacementType.PARENT_AND_CHILD: "Parent and child",
    PlacementType.STAYING_PUT: "Staying Put",
}


class Locality(IdMixin, Base):
    __tablename__ = "localities"

    name: Mapped[str] = mapped_column(String(100), unique=True)


class Household(IdMixin, TimestampMixin, Base):
    __tablename__ = "households"
    __table_args__ = (
        # The TSD deadline follows from the approval date: the training report finds the active households whose
        # deadline falls in its period, and an SSW's home those of their caseload still followed, by these ranges.
        Index("ix_households_status_approval_date", "status", "approval_date"),
        Index("ix_households_ssw_status_approval_date", "ssw_id", "status", "approval_date"),
        # The type-ahead lists households by name: read in that order, a search stops at its first few matches.
        Index("ix_households_name", "name", "id"),
    )

    name: Mapped[str] = mapped_column(String(200))  # how the household is known, e.g. "Patel household"
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    carer_type: Mapped[str] = mapped_column(String(30))
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id"), index=True)
    approval_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=HouseholdStatus.ACTIVE)
    # Why the household was put on hold (staff eyes only); cleared when it is active again.
    status_reason: Mapped[str | None] = mapped_column(String(500))
    ssw_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # indexed above
    postcode: Mapped[str | None] = mapped_column(String(10))

    locality: Mapped[Locality] = relationship(lazy="joined")
    ssw: Mapped[User | None] = relationship(foreign_keys=[ssw_id])
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def carers(self) -> list[User]:
        return [m.user for m in self.members]

    @property
    def carer_type_label(self) -> str:
        return CARER_TYPE_LABELS[CarerType(self.carer_type)]

    @property
    def status_label(self) -> str:
        return HOUSEHOLD_STATUS_LABELS[HouseholdStatus(self.status)]


class HouseholdMember(Base):
    """A carer belongs to one household; a household has one or two carers (checked in services)."""

    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    household: Mapped[Household] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class Child(IdMixin, TimestampMixin, Base):
    __tablename__ = "children"
    # A child's social worker's children in name order (their home page's list), read in order a page at a time.
    __table_args__ = (
        Index("ix_children_social_worker_name", "social_worker_id", "first_name", "last_name", "id"),
        Index("ix_children_name", "first_name", "last_name", "id"),  # lists of children by name, read in order
    )

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    case_reference: Mapped[str] = mapped_column(String(40), unique=True)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    young_person_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)

    social_worker: Mapped[User | None] = relationship(foreign_keys=[social_worker_id])
    placements: Mapped[list[Placement]] = relationship(back_populates="child", order_by="Placement.start_date.desc()")

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Placement(IdMixin, TimestampMixin, Base):
    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="ends_after_start"),
        # The children placed now in some households, from this index alone (no row read for the dates).
        Index("ix_placements_household_dates", "household_id", "start_date", "end_date", "child_id"),
        # The service's placements running now (admin's home page count): the open-ended and those ending later,
        # read as two ranges of this index, not every placement the service has ever made.
        Index("ix_placements_current", "end_date", "start_date"),
    )

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    start_date: Mapped[date]
    # The day the child moved out (no night in care that day); open while the child lives there.
    # Half-open [start, end): nights in care = end - start, and access ends on the end date itself.
    end_date: Mapped[date | None]
    placement_type: Mapped[str] = mapped_column(String(30))

    child: Mapped[Child] = relationship(back_populates="placements")
    household: Mapped[Household] = relationship()

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or on < self.end_date)

    @property
    def type_label(self) -> str:
        return PLACEMENT_TYPE_LABELS[PlacementType(self.placement_type)]
