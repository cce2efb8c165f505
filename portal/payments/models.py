"""Payment settings, effective-dated rates, household and child payment terms, pay runs, their lines and the ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, utcnow
from portal.payments import terms
from portal.people.models import Child, Household

REGION_LABELS = {"london": "London", "south_east": "South East", "rest_of_england": "Rest of England"}
FREQUENCY_LABELS = {
    "weekly": "Weekly",
    "fortnightly": "Fortnightly",
    "four_weekly": "Every four weeks",
    "monthly": "Monthly (calendar months)",
}
BAND_RULE_LABELS = {
    "birthday": "The new band from the birthday itself",
    "week_start": "The new band for the whole birthday week (from the Monday)",
    "next_week": "The old band for the whole birthday week (new band from the Monday after)",
}
RATE_KIND_LABELS = {
    "allowance": "Allowance (council rate)",
    "nma": "National minimum allowance",
    "fee": "Fee level",
    "extra": "Extra",
    "supplement": "Supplement",
    "mentoring": "Mentoring",
    "retainer": "Retainer",
    "qcr": "Qualifying Care Relief",
}
BASIS_LABELS = {
    "per_child_week": "Per child per week",
    "per_household_week": "Per household per week",
    "allowance_multiple": "Weeks of the child's allowance",
    "fixed": "Fixed amount",
    "per_contact": "Per contact",
    "per_mentee_month": "Per mentee per month",
    "per_year": "Per tax year",
}
TERM_KIND_LABELS = {
    "fee": "Fee level",
    "supplement": "Supplement for a child",
    "festival": "Religious festival",
    "retainer": "Retainer while a bed is held",
}


class PaymentSettings(Base):
    """The council's payment rules: one row (id 1)."""

    __tablename__ = "payment_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(20), default="rest_of_england")
    frequency: Mapped[str] = mapped_column(String(20), default="fortnightly")
    first_period_start: Mapped[date]
    band_rule: Mapped[str] = mapped_column(String(20), default="birthday")
    staying_put: Mapped[bool] = mapped_column(default=False)
    pay_lag_days: Mapped[int] = mapped_column(default=5)
    lookback_days: Mapped[int] = mapped_column(default=182)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_settings(self) -> terms.Settings:
        return terms.Settings(
            self.region,
            self.frequency,
            self.first_period_start,
            self.band_rule,
            self.staying_put,
            self.pay_lag_days,
            self.lookback_days,
        )


class PaymentRate(IdMixin, Base):
    __tablename__ = "payment_rates"
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="ends_after_start"),
        Index("ix_payment_rates_kind_code", "kind", "code"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120), default="")
    basis: Mapped[str] = mapped_column(String(30), default="per_child_week")
    amount_pence: Mapped[int | None]
    allowance_weeks_pct: Mapped[int | None]
    due_month: Mapped[int | None]
    due_day: Mapped[int | None]
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(500))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_rate(self) -> terms.Rate:
        return terms.Rate(
            self.kind,
            self.code,
            self.effective_from,
            self.effective_to,
            self.amount_pence,
            self.region,
            self.label,
            self.basis,
            self.allowance_weeks_pct,
            self.due_month,
            self.due_day,
        )

    @property
    def kind_label(self) -> str:
        return RATE_KIND_LABELS.get(self.kind, self.kind)


class PaymentTerm(IdMixin, Base):
    """A household's fee level or held bed, or a child's supplement or festival, for a stretch of dates (inclusive)."""

    __tablename__ = "payment_terms"
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="ends_after_start"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child | None] = relationship(lazy="joined")

    def as_assignment(self) -> terms.Assignment:
        return terms.Assignment(
            self.kind, self.household_id, self.child_id, self.code, self.effective_from, self.effective_to
        )

    @property
    def kind_label(self) -> str:
        return TERM_KIND_LABELS.get(self.kind, self.kind)


class PayRun(IdMixin, Base):
    """One pay period. Draft until confirmed; confirmed runs never change (corrections go in a later run)."""

    __tablename__ = "pay_runs"
    __table_args__ = (UniqueConstraint("period_start"), CheckConstraint("period_end >= period_start", name="period"))

    period_start: Mapped[date]
    period_end: Mapped[date]
    pay_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | confirmed | paid
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    # BIGINT: a fortnight for 50,000 households is about £49 million, beyond a 32-bit integer's pence.
    total_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    held_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    household_count: Mapped[int] = mapped_column(default=0)
    claims_batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"))
    exported_at: Mapped[datetime | None]
    paid_on: Mapped[date | None]
    payment_reference: Mapped[str | None] = mapped_column(String(60))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="joined")
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id], lazy="joined")

    @property
    def number(self) -> str:
        return f"PR-{self.id:05d}"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def status_label(self) -> str:
        return {"draft": "Draft: not confirmed", "confirmed": "Confirmed, waiting to be paid", "paid": "Paid"}[
            self.status
        ]


class PayRunHold(IdMixin, Base):
    __tablename__ = "pay_run_holds"
    __table_args__ = (UniqueConstraint("run_id", "line_key"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    held_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayAdjustment(IdMixin, Base):
    """A correction business support adds to a draft run, with its reason (negative: an overpayment recovered)."""

    __tablename__ = "pay_adjustments"

    run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    amount_pence: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Above PAY_ADJUSTMENT_SECOND_APPROVAL_PENCE (either way) a second person must approve it before it is paid.
    needs_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]

    @property
    def is_waiting(self) -> bool:
        """Waiting for a second person's approval: not paid until then."""
        return self.needs_approval and self.approved_by_id is None


class HouseholdPayment(IdMixin, Base):
    """What one household is paid by one confirmed run."""

    __tablename__ = "household_payments"
    __table_args__ = (UniqueConstraint("run_id", "household_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    total_pence: Mapped[int] = mapped_column(default=0)
    held_pence: Mapped[int] = mapped_column(default=0)

    run: Mapped[PayRun] = relationship(lazy="joined")
    household: Mapped[Household] = relationship(lazy="joined")
    lines: Mapped[list[PayLine]] = relationship(back_populates="payment", order_by="PayLine.id")

    @property
    def number(self) -> str:
        return f"{self.run.number}-{self.household_id}"

    @property
    def paid_on(self) -> date | None:
        return self.run.paid_on

    @property
    def expected_on(self) -> date:
        return self.run.paid_on or self.run.pay_date


class PayLine(IdMixin, Base):
    __tablename__ = "pay_lines"
    __table_args__ = (
        # Each slice of a run asks for its children's extras already paid, and held adjustments go by line key.
        Index("ix_pay_lines_child_kind", "child_id", "kind"),
        Index("ix_pay_lines_key", "key"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("household_payments.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40), default="")
    key: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]  # exclusive: the night of end_date is not included
    weekly_pence: Mapped[int | None]
    amount_pence: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    due_date: Mapped[date | None]
    is_adjustment: Mapped[bool] = mapped_column(default=False)
    is_held: Mapped[bool] = mapped_column(default=False)
    hold_reason: Mapped[str | None] = mapped_column(Text)

    payment: Mapped[HouseholdPayment] = relationship(back_populates="lines")
    child: Mapped[Child | None] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return terms.KIND_LABELS.get(self.kind, self.kind)

    @property
    def nights(self) -> int | None:
        if self.kind in terms.NIGHT_KINDS and self.start_date and self.end_date and not self.is_adjustment:
            return (self.end_date - self.start_date).days
        return None


class PaidSegment(IdMixin, Base):
    """The ledger: nights a confirmed line paid for, at which weekly rate (sign -1 reverses an earlier payment)."""

    __tablename__ = "paid_segments"
    __table_args__ = (Index("ix_paid_segments_end", "end_date"),)

    line_id: Mapped[int] = mapped_column(ForeignKey("pay_lines.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date]
    end_date: Mapped[date]
    weekly_pence: Mapped[int]
    sign: Mapped[int] = mapped_column(default=1)

    def as_segment(self) -> terms.Segment:
        return terms.Segment(
            self.household_id,
            self.child_id,
            self.kind,
            self.code,
            self.start_date,
            self.end_date,
            self.weekly_pence,
            self.sign,
        )
