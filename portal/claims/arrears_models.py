"""Backdated mileage rate changes: what each carer was paid for journeys at the old rate, what is due, and the
arrears claim that pays the difference once approved."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.claims import rates as engine
from portal.core.db import Base, IdMixin, utcnow
from portal.people.models import Household

PENDING, APPROVED, NOTHING_OWED, SUPERSEDED = "pending", "approved", "nothing_owed", "superseded"
CHANGE_STATUS_LABELS = {
    PENDING: "Waiting for approval",
    APPROVED: "Approved",
    NOTHING_OWED: "Nothing owed",
    SUPERSEDED: "Replaced by a later working-out",
}
ARREARS_CATEGORY = "rate_arrears"  # the one line of an arrears claim


class MileageRateChange(IdMixin, Base):
    """One working-out of arrears after a rate that starts in the past was saved. Approved once, never again."""

    __tablename__ = "mileage_rate_changes"

    rate_id: Mapped[int | None] = mapped_column(ForeignKey("mileage_rates.id", ondelete="SET NULL"), index=True)
    vehicle: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date]  # journeys from this day...
    effective_to: Mapped[date | None]  # ...to this one (inclusive; None: no end) are compared with what they were paid
    announced_on: Mapped[date]  # the end of the period named on carers' payments
    is_increase: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    total_pence: Mapped[int] = mapped_column(default=0)  # what approval pays: the positive differences only
    carer_count: Mapped[int] = mapped_column(default=0)
    unpaid_journeys: Mapped[int] = mapped_column(default=0)  # journeys since the date in claims not yet paid
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id], lazy="joined")

    @property
    def vehicle_label(self) -> str:
        return engine.RATE_KIND_LABELS.get(self.vehicle, self.vehicle)

    @property
    def status_label(self) -> str:
        return CHANGE_STATUS_LABELS.get(self.status, self.status)

    @property
    def period_text(self) -> str:
        """'6 April – 21 May 2026' (the year once when both ends share it)."""
        a, b = self.effective_from, max(self.announced_on, self.effective_from)
        first = f"{a.day} {a:%B}" if a.year == b.year else f"{a.day} {a:%B %Y}"
        return f"{first} – {b.day} {b:%B %Y}"

    @property
    def label(self) -> str:
        return f"Mileage rate {'increase' if self.is_increase else 'change'}, {self.period_text}"


class MileageArrears(IdMixin, Base):
    """One carer's line in a working-out: journeys, miles, paid, due; `claim_id` once the difference is paid."""

    __tablename__ = "mileage_arrears"
    __table_args__ = (UniqueConstraint("change_id", "claimant_id"),)

    change_id: Mapped[int] = mapped_column(ForeignKey("mileage_rate_changes.id", ondelete="CASCADE"), index=True)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    journeys: Mapped[int]
    miles_tenths: Mapped[int]
    paid_pence: Mapped[int]
    due_pence: Mapped[int]
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"), unique=True)

    claimant: Mapped[User] = relationship(lazy="joined")
    household: Mapped[Household] = relationship(lazy="joined")

    @property
    def difference_pence(self) -> int:
        return self.due_pence - self.paid_pence

    @property
    def payable_pence(self) -> int:
        """Never below zero: a decrease is not clawed back automatically."""
        return max(0, self.difference_pence)

    @property
    def miles_text(self) -> str:
        return engine.miles(self.miles_tenths)


class MileageArrearsJourney(IdMixin, Base):
    """A journey looked at again. Once its carer's arrears are paid, `due_pence` is what the journey has been paid
    in all, so a later working-out pays only what is still owed."""

    __tablename__ = "mileage_arrears_journeys"

    arrears_id: Mapped[int] = mapped_column(ForeignKey("mileage_arrears.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("claim_lines.id", ondelete="CASCADE"), index=True)
    paid_pence: Mapped[int]
    due_pence: Mapped[int]
