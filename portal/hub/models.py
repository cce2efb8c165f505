"""The information hub's pages (in sections), team contacts, staff contact details and newsletters."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, TimestampMixin, utcnow
from portal.core.uploads import StoredFile


class Section(StrEnum):
    HANDBOOK = "handbook"
    PAYMENT_POLICY = "payment_policy"
    ALLOWANCES = "allowances"
    EMERGENCY = "emergency"
    ALLEGATIONS = "allegations"
    INDEPENDENT_SUPPORT = "independent_support"
    FAQS = "faqs"


# In the order the hub shows them.
SECTION_LABELS = {
    Section.HANDBOOK: "The fostering handbook",
    Section.PAYMENT_POLICY: "Payment policy",
    Section.ALLOWANCES: "Allowances and extras",
    Section.EMERGENCY: "What to do in an emergency",
    Section.ALLEGATIONS: "Allegations and support",
    Section.INDEPENDENT_SUPPORT: "Independent support services",
    Section.FAQS: "Questions carers ask",
}


class HubPage(IdMixin, TimestampMixin, Base):
    """An admin-written page. `body_markdown` is what the admin typed; `body_html` is it rendered and sanitised on
    save (nh3), the only form ever shown. `live_sections` names, comma-separated, sections other features provide
    from live data (e.g. "allowance-rates,mileage-rates"), shown after the text."""

    __tablename__ = "hub_pages"

    section: Mapped[str] = mapped_column(String(30), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    live_sections: Mapped[str] = mapped_column(String(300), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    last_reviewed_on: Mapped[date]
    review_due_on: Mapped[date] = mapped_column(index=True)
    review_reminded_on: Mapped[date | None]

    owner: Mapped[User | None] = relationship(lazy="joined")

    @property
    def section_label(self) -> str:
        return SECTION_LABELS[Section(self.section)]

    @property
    def live_section_keys(self) -> list[str]:
        return [key for key in self.live_sections.split(",") if key]


class TeamContact(IdMixin, Base):
    """A team carers deal with: the fostering teams, business support, training, mentoring, out of hours."""

    __tablename__ = "hub_team_contacts"

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)


class StaffContactDetails(Base):
    """How carers reach a member of staff, kept by that person on their account pages."""

    __tablename__ = "hub_staff_contact_details"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    job_title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Newsletter(IdMixin, Base):
    """One issue: a PDF through the upload pipeline (rebuilt, scanned; shown once ready) and a short summary."""

    __tablename__ = "hub_newsletters"

    title: Mapped[str] = mapped_column(String(150))
    issue_date: Mapped[date] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(600))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile] = relationship(lazy="joined")
