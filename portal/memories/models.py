"""Memory boxes: a child's items (photos, videos, documents, notes), young-person access, legal holds and exports."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base, IdMixin, utcnow
from portal.core.uploads import StoredFile
from portal.people.models import Child, Placement


class MemoryKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    NOTE = "note"


KIND_LABELS = {
    MemoryKind.PHOTO: "Photo",
    MemoryKind.VIDEO: "Video",
    MemoryKind.DOCUMENT: "Document",
    MemoryKind.NOTE: "Note or story",
}


class MemoryTag(StrEnum):
    BIRTHDAY = "birthday"
    SCHOOL = "school"
    HOLIDAY = "holiday"
    FAMILY_TIME = "family_time"
    ACHIEVEMENT = "achievement"
    FIRST_TIMES = "first_times"
    FRIENDS = "friends"
    OTHER = "other"


TAG_LABELS = {
    MemoryTag.BIRTHDAY: "Birthday",
    MemoryTag.SCHOOL: "School",
    MemoryTag.HOLIDAY: "Holiday",
    MemoryTag.FAMILY_TIME: "Family time",
    MemoryTag.ACHIEVEMENT: "Achievement",
    MemoryTag.FIRST_TIMES: "First times",
    MemoryTag.FRIENDS: "Friends",
    MemoryTag.OTHER: "Other",
}

PENDING, APPROVED = "pending", "approved"


class MemoryItem(IdMixin, Base):
    """One memory. It belongs to the child; who added it and from which placement are kept for good."""

    __tablename__ = "memory_items"
    # The timeline walks this index in either direction, a page at a time (keyset), whatever the box's size.
    __table_args__ = (
        Index("ix_memory_items_timeline", "child_id", "memory_date", "id"),
        Index("ix_memory_items_queue", "status", "created_at"),
    )

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    caption: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[str] = mapped_column(String(300), default="")  # who is in it, as the carer wrote it
    body: Mapped[str | None] = mapped_column(Text)  # the words of a note or story
    memory_date: Mapped[date]
    # The date was left blank: it is taken from the photo (EXIF) once the photo has been processed.
    date_from_photo: Mapped[bool] = mapped_column(default=False)
    # The photo gave no date that fits the child's life (none, a camera's unset clock, before the child was born):
    # the memory is dated the day it was added until the person who added it says when it was.
    date_to_confirm: Mapped[bool] = mapped_column(default=False)
    is_sensitive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checklist_confirmed_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    retain_until: Mapped[date]  # the child's 75th birthday by default; deletion before it is an admin act

    child: Mapped[Child] = relationship(lazy="joined")
    placement: Mapped[Placement | None] = relationship()
    file: Mapped[StoredFile | None] = relationship(lazy="joined")
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id], lazy="joined")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])
    tag_rows: Mapped[list[MemoryItemTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="MemoryItemTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]

    @property
    def tag_labels(self) -> list[str]:
        return [TAG_LABELS[MemoryTag(t)] for t in self.tags]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[MemoryKind(self.kind)]

    @property
    def is_approved(self) -> bool:
        return self.status == APPROVED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_ready(self) -> bool:
        """A note is always ready; a file only once it has been scanned and cleaned."""
        return self.file is None or self.file.is_ready

    @property
    def is_rejected(self) -> bool:
        return self.file is not None and self.file.status == "rejected"


class MemoryItemTag(Base):
    __tablename__ = "memory_item_tags"
    __table_args__ = (Index("ix_memory_item_tags_tag_item", "tag", "item_id"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("memory_items.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(20), primary_key=True)


class MemoryBox(Base):
    """Settings of a child's box as a whole: a legal hold stops any deletion from it."""

    __tablename__ = "memory_boxes"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(String(500))
    legal_hold_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    legal_hold_set_at: Mapped[datetime | None]


class MemoryBoxAccess(IdMixin, Base):
    """The child's social worker's dated decision to let the young person read their box; revocable, never erased."""

    __tablename__ = "memory_box_access"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    young_person_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id], lazy="joined")
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id], lazy="joined")
    young_person: Mapped[User] = relationship(foreign_keys=[young_person_user_id], lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


EXPORT_PREPARING, EXPORT_READY, EXPORT_FAILED = "preparing", "ready", "failed"


class MemoryExport(IdMixin, Base):
    """The whole box as a ZIP of originals and a life story book (PDF), downloadable until it expires."""

    __tablename__ = "memory_exports"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default=EXPORT_PREPARING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    item_count: Mapped[int] = mapped_column(default=0)
    # Stored as ready files of the shared pipeline, so they are served (and reconciled) like every other file.
    zip_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    failure: Mapped[str | None] = mapped_column(String(300))

    requested_by: Mapped[User] = relationship(lazy="joined")
    zip_file: Mapped[StoredFile | None] = relationship(foreign_keys=[zip_file_id], lazy="joined")
    pdf_file: Mapped[StoredFile | None] = relationship(foreign_keys=[pdf_file_id], lazy="joined")
