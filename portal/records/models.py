"""Daily recording logs about a child, and the household's filing cabinet of documents with versions."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, utcnow
from portal.core.uploads import StoredFile
from portal.people.models import Child, Household


class LogCategory(StrEnum):
    DAILY_LIFE = "daily_life"
    HEALTH = "health"
    EDUCATION = "education"
    FAMILY_TIME = "family_time"
    BEHAVIOUR = "behaviour"
    ACHIEVEMENT = "achievement"
    INCIDENT = "incident"
    OTHER = "other"


LOG_CATEGORY_LABELS = {
    LogCategory.DAILY_LIFE: "Daily life",
    LogCategory.HEALTH: "Health",
    LogCategory.EDUCATION: "Education",
    LogCategory.FAMILY_TIME: "Family time or contact",
    LogCategory.BEHAVIOUR: "Behaviour",
    LogCategory.ACHIEVEMENT: "Achievement",
    LogCategory.INCIDENT: "Incident",
    LogCategory.OTHER: "Other",
}


class LogEntry(IdMixin, Base):
    """Signed and dated; never edited. A correction is an addendum: a new entry pointing at the original."""

    __tablename__ = "log_entries"
    __table_args__ = (
        Index("ix_log_entries_child_date", "child_id", "entry_date"),
        # Addenda are few: indexed alone, so "not an addendum" (IS NULL, true of nearly every row) never looks selective
        # to a planner and every entry is not read through it.
        Index(
            "ix_log_entries_addendum_to_id",
            "addendum_to_id",
            sqlite_where=text("addendum_to_id IS NOT NULL"),
            postgresql_where=text("addendum_to_id IS NOT NULL"),
        ),
        # Lists of entries, newest first: the first page is read in index order, not sorted from all of them.
        Index(
            "ix_log_entries_newest",
            "entry_date",
            "created_at",
            sqlite_where=text("addendum_to_id IS NULL"),
            postgresql_where=text("addendum_to_id IS NULL"),
        ),
        # A caseload's or a household's entries, newest first: "addendum_to_id IS NULL" is an equality on the second
        # column, so one household's list is walked in index order, and a caseload's (households or children IN a
        # list) is sorted from the index alone, each of its rows read only for the page (issue 12).
        Index("ix_log_entries_household_newest", "household_id", "addendum_to_id", "entry_date", "created_at"),
        Index("ix_log_entries_child_newest", "child_id", "addendum_to_id", "entry_date", "created_at"),
    )

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entry_date: Mapped[date]
    time_of_day: Mapped[time | None]
    category: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    is_significant: Mapped[bool] = mapped_column(default=False)
    addendum_to_id: Mapped[int | None] = mapped_column(ForeignKey("log_entries.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    child: Mapped[Child] = relationship(lazy="joined")
    household: Mapped[Household] = relationship()
    author: Mapped[User] = relationship(lazy="joined")
    attachments: Mapped[list[LogAttachment]] = relationship(
        back_populates="entry", lazy="selectin", order_by="LogAttachment.id"
    )
    comments: Mapped[list[LogComment]] = relationship(
        back_populates="entry", lazy="selectin", order_by="LogComment.created_at"
    )
    addenda: Mapped[list[LogEntry]] = relationship(order_by="LogEntry.created_at", lazy="selectin")

    @property
    def category_label(self) -> str:
        return LOG_CATEGORY_LABELS[LogCategory(self.category)]

    @property
    def needs_escalation(self) -> bool:
        return self.is_significant or self.category == LogCategory.INCIDENT


class LogAttachment(IdMixin, Base):
    __tablename__ = "log_attachments"

    log_entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), unique=True)

    entry: Mapped[LogEntry] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class LogRead(IdMixin, Base):
    __tablename__ = "log_reads"
    __table_args__ = (UniqueConstraint("log_entry_id", "user_id"),)

    log_entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogComment(IdMixin, Base):
    __tablename__ = "log_comments"

    log_entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[LogEntry] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(lazy="joined")


class LogDraft(IdMixin, Base):
    """A half-written entry kept on the server, one per author, so a lost signal or a closed tab loses nothing."""

    __tablename__ = "log_drafts"

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Folder(StrEnum):
    HOUSEHOLD_PROFILE = "household_profile"
    SAFE_CARING_POLICY = "safe_caring_policy"
    FOSTER_CARER_AGREEMENT = "foster_carer_agreement"
    FIRE_ESCAPE_PLAN = "fire_escape_plan"
    TRAINING_CERTIFICATES = "training_certificates"
    SUPERVISION_RECORDS = "supervision_records"
    ANNUAL_REVIEW = "annual_review"
    OTHER = "other"


FOLDER_LABELS = {
    Folder.HOUSEHOLD_PROFILE: "Household profile",
    Folder.SAFE_CARING_POLICY: "Safe caring policy",
    Folder.FOSTER_CARER_AGREEMENT: "Foster carer agreement",
    Folder.FIRE_ESCAPE_PLAN: "Fire escape plan",
    Folder.TRAINING_CERTIFICATES: "Training certificates",
    Folder.SUPERVISION_RECORDS: "Supervision records",
    Folder.ANNUAL_REVIEW: "Annual review documents",
    Folder.OTHER: "Other documents",
}


class HouseholdDocument(IdMixin, Base):
    __tablename__ = "household_documents"
    __table_args__ = (Index("ix_household_documents_household_folder", "household_id", "folder"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    folder: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", lazy="selectin", order_by="DocumentVersion.number.desc()"
    )

    @property
    def folder_label(self) -> str:
        return FOLDER_LABELS[Folder(self.folder)]

    @property
    def latest(self) -> DocumentVersion | None:
        ready = [v for v in self.versions if v.file.is_ready]
        return ready[0] if ready else None


class DocumentVersion(IdMixin, Base):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("household_documents.id"), index=True)
    number: Mapped[int]
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[HouseholdDocument] = relationship(back_populates="versions")
    file: Mapped[StoredFile] = relationship(lazy="joined")
    uploaded_by: Mapped[User] = relationship(lazy="joined")
