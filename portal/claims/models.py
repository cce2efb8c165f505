"""Claims (mileage, expenses, allowances) with their lines and history, mileage rates and payment batches."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.claims import rates as engine
from portal.core.db import Base, IdMixin, utcnow
from portal.core.uploads import StoredFile
from portal.people.models import Child, Household


class ClaimKind(StrEnum):
    MILEAGE = "mileage"
    EXPENSE = "expense"
    ALLOWANCE = "allowance"


KIND_LABELS = {ClaimKind.MILEAGE: "Mileage", ClaimKind.EXPENSE: "Expenses", ClaimKind.ALLOWANCE: "Allowance"}
LINE_NOUN = {ClaimKind.MILEAGE: "journey", ClaimKind.EXPENSE: "expense", ClaimKind.ALLOWANCE: "item"}


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUERIED = "queried"
    SECOND_APPROVAL = "second_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    BATCHED = "batched"
    PAID = "paid"


STATUS_LABELS = {
    ClaimStatus.DRAFT: "Draft",
    ClaimStatus.SUBMITTED: "Submitted",
    ClaimStatus.QUERIED: "Queried",
    ClaimStatus.SECOND_APPROVAL: "Awaiting second approval",
    ClaimStatus.APPROVED: "Approved",
    ClaimStatus.REJECTED: "Rejected",
    ClaimStatus.BATCHED: "In a payment batch",
    ClaimStatus.PAID: "Paid",
}
STATUS_TAGS = {
    ClaimStatus.DRAFT: "grey",
    ClaimStatus.SUBMITTED: "blue",
    ClaimStatus.QUERIED: "orange",
    ClaimStatus.SECOND_APPROVAL: "purple",
    ClaimStatus.APPROVED: "turquoise",
    ClaimStatus.REJECTED: "red",
    ClaimStatus.BATCHED: "light-blue",
    ClaimStatus.PAID: "green",
}
# Waiting for business support (the queue); the carer may change lines only while a claim is theirs to edit.
AWAITING_STAFF = (ClaimStatus.SUBMITTED, ClaimStatus.SECOND_APPROVAL)
EDITABLE = (ClaimStatus.DRAFT, ClaimStatus.QUERIED)

PURPOSE_LABELS = {
    "family_time": "Family time or contact",
    "health": "Health",
    "education": "Education",
    "court": "Court",
    "training": "Training",
    "placement_meeting": "Placement meeting",
    "other": "Other",
}
OTHER_LINE_LABELS = {"rate_arrears": "Mileage rate arrears"}  # lines Hearth makes itself (portal.claims.arrears)
EXPENSE_CATEGORY_LABELS = {
    "clothing": "Clothing",
    "school": "School costs",
    "activities": "Activities",
    "equipment": "Equipment",
    "travel_fares": "Travel fares",
    "respite": "Respite",
    "other": "Other",
}


class MileageRate(IdMixin, Base):
    """One row of the effective-dated rate table; edited by an admin, read by the pure rate engine."""

    __tablename__ = "mileage_rates"
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="ends_after_start"),
        CheckConstraint("pence_per_mile >= 0", name="rate_not_negative"),
    )

    vehicle: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    pence_per_mile: Mapped[int]
    threshold_miles: Mapped[int | None]
    pence_after_threshold: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_rate(self) -> engine.Rate:
        return engine.Rate(
            self.vehicle,
            self.effective_from,
            self.effective_to,
            self.pence_per_mile,
            self.threshold_miles,
            self.pence_after_threshold,
        )

    @property
    def vehicle_label(self) -> str:
        return engine.RATE_KIND_LABELS.get(self.vehicle, self.vehicle)


class PaymentBatch(IdMixin, Base):
    """Approved claims sent to finance together. Once paid it never changes; a claim joins one batch, ever."""

    __tablename__ = "payment_batches"

    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | paid
    total_pence: Mapped[int] = mapped_column(default=0)
    claim_count: Mapped[int] = mapped_column(default=0)
    exported_at: Mapped[datetime | None]
    paid_on: Mapped[date | None]
    payment_reference: Mapped[str | None] = mapped_column(String(60))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="joined")

    @property
    def number(self) -> str:
        return f"PB-{self.id:05d}"

    @property
    def is_paid(self) -> bool:
        return self.status == "paid"


def claim_number(claim_id: int) -> str:
    """The reference carers and business support use ("CL-000042")."""
    return f"CL-{claim_id:06d}"


class ClaimLabels:
    """`number` and `kind_label` for anything that has a claim's `id` and `kind` (the model, or a row read as
    plain columns)."""

    @property
    def number(self) -> str:
        return claim_number(self.id)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[ClaimKind(self.kind)]


class Claim(ClaimLabels, IdMixin, Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_status_submitted", "status", "submitted_at"),
        Index("ix_claims_household_created", "household_id", "created_at"),
        # A carer's home page lists their household's newest queried claims: read in this index's order, five rows
        # however many claims the household has made.
        Index("ix_claims_household_status_created", "household_id", "status", "created_at"),
        # Claims in no batch by status, oldest decision first: the batch form's pages of approved claims are read in
        # index order. Partial, as PostgreSQL does not order by the columns after one matched by IS NULL.
        Index(
            "ix_claims_waiting",
            "status",
            "decided_at",
            "id",
            sqlite_where=text("batch_id IS NULL"),
            postgresql_where=text("batch_id IS NULL"),
        ),
        CheckConstraint("total_pence >= 0", name="total_not_negative"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.DRAFT)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    claimant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    vehicle: Mapped[str | None] = mapped_column(String(20))  # mileage claims only
    total_pence: Mapped[int] = mapped_column(default=0)  # what was claimed
    approved_pence: Mapped[int | None]  # what will be paid, once decided
    version: Mapped[int] = mapped_column(default=1)  # bumped by every change of status: a stale page is detected
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]  # first submission: the queue's age counts from here
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)  # an admin allowed a late or previous-year claim
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    paid_on: Mapped[date | None]
    payment_reference: Mapped[str | None] = mapped_column(String(60))

    household: Mapped[Household] = relationship(lazy="joined")
    claimant: Mapped[User] = relationship(foreign_keys=[claimant_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    batch: Mapped[PaymentBatch | None] = relationship()
    lines: Mapped[list[ClaimLine]] = relationship(
        back_populates="claim", lazy="selectin", order_by="ClaimLine.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[ClaimEvent]] = relationship(
        back_populates="claim", lazy="selectin", order_by="ClaimEvent.id", cascade="all, delete-orphan"
    )

    @property
    def line_noun(self) -> str:
        return LINE_NOUN[ClaimKind(self.kind)]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[ClaimStatus(self.status)]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[ClaimStatus(self.status)]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def vehicle_label(self) -> str:
        return engine.VEHICLE_LABELS.get(self.vehicle or "", "")


class ClaimLine(IdMixin, Base):
    """A journey, an expense or an allowance item. The amount of a journey is worked out by the rate engine."""

    __tablename__ = "claim_lines"
    __table_args__ = (CheckConstraint("amount_pence >= 0", name="amount_not_negative"),)

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    line_date: Mapped[date]
    category: Mapped[str] = mapped_column(String(30))  # journey purpose, expense or allowance category
    note: Mapped[str | None] = mapped_column(Text)
    amount_pence: Mapped[int] = mapped_column(default=0)
    # Journeys
    from_place: Mapped[str | None] = mapped_column(String(120))
    to_place: Mapped[str | None] = mapped_column(String(120))
    miles_tenths: Mapped[int | None]
    is_return: Mapped[bool] = mapped_column(default=False)
    passengers: Mapped[int] = mapped_column(default=0)
    rate_note: Mapped[str | None] = mapped_column(String(200))
    # Expenses
    receipt_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), unique=True)
    # Decision, line by line
    decision: Mapped[str | None] = mapped_column(String(10))  # approved | rejected
    decision_reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="lines")
    receipt: Mapped[StoredFile | None] = relationship(lazy="joined")
    children: Mapped[list[ClaimLineChild]] = relationship(
        back_populates="line", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def category_label(self) -> str:
        labels = {ClaimKind.MILEAGE: PURPOSE_LABELS, ClaimKind.EXPENSE: EXPENSE_CATEGORY_LABELS}.get(
            ClaimKind(self.claim.kind), {}
        )
        return labels.get(
            self.category, OTHER_LINE_LABELS.get(self.category, self.category.replace("_", " ").capitalize())
        )

    @property
    def miles_text(self) -> str:
        return engine.miles(self.miles_tenths or 0)

    @property
    def total_miles_tenths(self) -> int:
        return (self.miles_tenths or 0) * (2 if self.is_return else 1)


class ClaimLineChild(Base):
    """Which child a line was for, and that child's share of it (a shared journey is split between children)."""

    __tablename__ = "claim_line_children"
    __table_args__ = (UniqueConstraint("line_id", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("claim_lines.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    share_pence: Mapped[int] = mapped_column(default=0)

    line: Mapped[ClaimLine] = relationship(back_populates="children")
    child: Mapped[Child] = relationship(lazy="joined")


class ClaimEvent(IdMixin, Base):
    """The claim's history as the carer and staff read it: what happened, who did it and what was said."""

    __tablename__ = "claim_events"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    body: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def action_label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action.replace("_", " ").capitalize())


EVENT_LABELS = {
    "created": "Draft started",
    "submitted": "Submitted",
    "resubmitted": "Answered and resubmitted",
    "queried": "Question from business support",
    "approved": "Approved",
    "part_approved": "Partly approved",
    "first_approved": "Approved, awaiting a second approval",
    "rejected": "Rejected",
    "override": "Late claim allowed by an admin",
    "batched": "Added to a payment batch",
    "paid": "Paid",
    "rate_arrears": "Mileage rate arrears approved",
}
