"""Use cases for memory boxes: add, correct, approve, hide, delete (admin) and legal holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.files import UploadRejected
from portal.core.jobs import enqueue
from portal.core.links import path_to
from portal.core.notice_kinds import MEMORY_ADDED, MEMORY_DATE_NEEDED
from portal.core.notify import notify_in_app
from portal.core.unit_of_work import transactional
from portal.core.uploads import StoredFile, discard, receive, start_processing
from portal.memories.models import (
    APPROVED,
    PENDING,
    MemoryBox,
    MemoryItem,
    MemoryItemTag,
    MemoryKind,
    MemoryTag,
)
from portal.memories.notices import resolve_reminders_when_queue_empty, tell_moderators
from portal.memories.policy import BoxAccess, can_change_item
from portal.people.models import Child

RETENTION_YEARS = 75
FAMILIES = {
    MemoryKind.PHOTO: frozenset({"image"}),
    MemoryKind.VIDEO: frozenset({"video"}),
    # A scanned certificate or school report arrives as a PDF, or as a photo of the paper.
    MemoryKind.DOCUMENT: frozenset({"document", "image"}),
}


class MemoryRefused(ValueError):
    """A rule said no; the message is for the person."""


@dataclass
class Upload:
    stream: BinaryIO
    filename: str | None


@dataclass
class Details:
    title: str
    caption: str = ""
    people: str = ""
    tags: tuple[str, ...] = ()
    memory_date: date | None = None  # None: from the photo, or today when the photo has no date
    is_sensitive: bool = False
    body: str | None = None


def retain_until(child: Child) -> date:
    """The child's 75th birthday (a 29 February birthday is kept until 28 February)."""
    born = child.date_of_birth
    try:
        return born.replace(year=born.year + RETENTION_YEARS)
    except ValueError:
        return date(born.year + RETENTION_YEARS, 2, 28)


def plausible_photo_date(taken_on: date | None, child: Child, *, added_on: date) -> date | None:
    """The photo's own date when it can be the memory's: on or after the child's birth and not after the day the
    photo was added. A camera's unset clock never gets this far (portal.core.files.taken)."""
    if taken_on is None or taken_on < child.date_of_birth or taken_on > added_on:
        return None
    return taken_on


def ask_for_the_date(item: MemoryItem) -> None:
    """Keep the day it was added as the memory's date for now, mark it, and ask the person who added it."""
    item.date_to_confirm = True
    notify_in_app(
        item.added_by_id,
        f"When was the photo “{item.title}” taken? It has no date we can use, so it is dated the day you"
        " added it. Add the date",
        path_to("memories.change_item", item_id=item.id),
        kind=MEMORY_DATE_NEEDED.name,
        target=f"memory:{item.id}",
        key=f"memory-date:{item.id}",
    )


def _clean_tags(tags) -> list[str]:
    valid = {t.value for t in MemoryTag}
    return sorted({t for t in tags if t in valid})


@transactional
def add_memories(
    actor: User,
    access: BoxAccess,
    *,
    kind: MemoryKind,
    details: Details,
    uploads: list[Upload] = (),
    checklist_confirmed: bool,
) -> list[MemoryItem]:
    """One item per file (or one note). Staff additions enter the box at once; carers' wait for approval."""
    if not access.can_add:
        raise MemoryRefused("You cannot add memories to this box")
    if not checklist_confirmed:
        raise MemoryRefused("Confirm the safeguarding checks before adding a memory")
    if details.memory_date is not None and details.memory_date > today():
        raise MemoryRefused("The date of the memory must be today or in the past")
    if kind == MemoryKind.NOTE:
        if uploads or not (details.body or "").strip():
            raise MemoryRefused("Write the note or story")
        files: list[StoredFile | None] = [None]
    else:
        if not uploads:
            raise MemoryRefused("Choose a file to upload")
        if kind != MemoryKind.PHOTO and len(uploads) > 1:
            raise MemoryRefused("Choose one file at a time for a video or a document")
        files = list(_receive_all(actor, access.child, kind, uploads))
    if details.memory_date is None and kind != MemoryKind.PHOTO:
        raise MemoryRefused("Enter the date of the memory")
    child, now = access.child, utcnow()
    approved = access.can_moderate
    items = []
    try:
        for stored in files:
            item = MemoryItem(
                child_id=child.id,
                placement_id=access.placement.id if access.placement else None,
                kind=kind.value,
                file=stored,
                title=details.title.strip(),
                caption=(details.caption or "").strip(),
                people=(details.people or "").strip(),
                body=(details.body or "").strip() or None,
                memory_date=details.memory_date or today(),
                date_from_photo=details.memory_date is None,
                is_sensitive=details.is_sensitive,
                status=APPROVED if approved else PENDING,
                added_by_id=actor.id,
                checklist_confirmed_at=now,
                approved_at=now if approved else None,
                approved_by_id=actor.id if approved else None,
                retain_until=retain_until(child),
            )
            item.tag_rows = [MemoryItemTag(tag=t) for t in _clean_tags(details.tags)]
            db.session.add(item)
            items.append(item)
        db.session.flush()
        for item in items:
            audit.record(
                db.session,
                "memory_added",
                actor_id=actor.id,
                object_type="memory_item",
                object_id=item.id,
                child_id=child.id,
                kind=kind.value,
                status=item.status,
            )
        if not approved:
            tell_moderators(access, f"Memories for {child.known_as} are waiting for your approval")
    except Exception:
        db.session.rollback()
        for stored in files:
            if stored is not None:
                discard(stored)
        raise
    from portal.memories.jobs import settle_memory_date

    for item in items:
        if item.file is not None:
            start_processing(item.file)
        if item.date_from_photo:
            enqueue(settle_memory_date, item.id)
    return items


def _receive_all(actor: User, child: Child, kind: MemoryKind, uploads: list[Upload]) -> list[StoredFile]:
    """All or nothing: when one file is refused the others already in quarantine are removed."""
    stored: list[StoredFile] = []
    try:
        for up in uploads:
            stored.append(
                receive(
                    actor,
                    up.stream,
                    up.filename,
                    purpose="memory",
                    prefix=f"memories/{child.id}",
                    allowed_families=FAMILIES[kind],
                )
            )
    except UploadRejected as exc:
        for s in stored:
            discard(s)
        if len(uploads) > 1:
            name = uploads[len(stored)].filename or "one of the files"
            raise UploadRejected(f"{name}: {exc}") from None
        raise
    return stored


@transactional
def change_item(actor: User, item: MemoryItem, access: BoxAccess, details: Details) -> MemoryItem:
    if not can_change_item(actor, item, access):
        raise MemoryRefused("You cannot change this memory")
    if details.memory_date is not None and details.memory_date > today():
        raise MemoryRefused("The date of the memory must be today or in the past")
    if item.kind == MemoryKind.NOTE and not (details.body or "").strip():
        raise MemoryRefused("Write the note or story")
    before = {"title": item.title, "memory_date": item.memory_date.isoformat()}
    item.title, item.caption, item.people = details.title.strip(), details.caption.strip(), details.people.strip()
    if item.kind == MemoryKind.NOTE:
        item.body = (details.body or "").strip()
    if details.memory_date is not None:
        item.memory_date, item.date_from_photo, item.date_to_confirm = details.memory_date, False, False
    item.is_sensitive = details.is_sensitive
    wanted = set(_clean_tags(details.tags))
    item.tag_rows = [t for t in item.tag_rows if t.tag in wanted] + [
        MemoryItemTag(tag=t) for t in sorted(wanted - set(item.tags))
    ]
    audit.record(
        db.session,
        "memory_changed",
        actor_id=actor.id,
        object_type="memory_item",
        object_id=item.id,
        child_id=item.child_id,
        before=before,
    )
    return item


@transactional
def approve_item(actor: User, item: MemoryItem, access: BoxAccess) -> None:
    if not access.can_moderate:
        raise MemoryRefused("Only the child's social worker or the supervising social worker can approve memories")
    if item.is_approved:
        return  # approved in another tab: the result is the same
    if item.is_hidden:
        raise MemoryRefused("This memory is hidden. Show it again before approving it")
    if item.is_rejected:
        raise MemoryRefused("This file was not kept, so it cannot go in the box")
    if not item.is_ready:
        raise MemoryRefused("This file is still being checked. Try again in a minute")
    item.status, item.approved_at, item.approved_by_id = APPROVED, utcnow(), actor.id
    resolve_reminders_when_queue_empty(item.child_id)
    audit.record(
        db.session,
        "memory_approved",
        actor_id=actor.id,
        object_type="memory_item",
        object_id=item.id,
        child_id=item.child_id,
    )
    if item.added_by_id != actor.id:
        notify_in_app(
            item.added_by_id,
            f"“{item.title[:80]}” is now in {item.child.known_as}'s memory box",
            path_to("memories.show_item", item_id=item.id),
            kind=MEMORY_ADDED.name,
            key=f"memory-approved:{item.id}",
        )


@transactional
def hide_item(actor: User, item: MemoryItem, access: BoxAccess, reason: str) -> None:
    """Hidden from everyone but moderators; kept, with the reason, and never deleted by this."""
    if not access.can_moderate:
        raise MemoryRefused("Only a moderator can hide a memory")
    if not reason.strip():
        raise MemoryRefused("Give the reason for hiding this memory")
    item.hidden_at, item.hidden_by_id, item.hidden_reason = utcnow(), actor.id, reason.strip()
    resolve_reminders_when_queue_empty(item.child_id)
    audit.record(
        db.session,
        "memory_hidden",
        actor_id=actor.id,
        object_type="memory_item",
        object_id=item.id,
        child_id=item.child_id,
        reason=reason.strip(),
    )


@transactional
def unhide_item(actor: User, item: MemoryItem, access: BoxAccess) -> None:
    if not access.can_moderate:
        raise MemoryRefused("Only a moderator can show a hidden memory again")
    if not item.is_hidden:
        return
    audit.record(
        db.session,
        "memory_unhidden",
        actor_id=actor.id,
        object_type="memory_item",
        object_id=item.id,
        child_id=item.child_id,
        was_hidden_because=item.hidden_reason,
    )
    item.hidden_at = item.hidden_by_id = item.hidden_reason = None


def box_settings(child: Child) -> MemoryBox:
    return db.session.get(MemoryBox, child.id) or MemoryBox(child_id=child.id, legal_hold=False)


@transactional
def set_legal_hold(actor: User, child: Child, *, on: bool, reason: str) -> MemoryBox:
    if not actor.has_role(Role.ADMIN):
        raise MemoryRefused("Only an admin can place or lift a legal hold")
    if not reason.strip():
        raise MemoryRefused("Give the reason")
    box = box_settings(child)
    box.legal_hold, box.legal_hold_reason = on, reason.strip()
    box.legal_hold_set_by_id, box.legal_hold_set_at = actor.id, utcnow()
    db.session.add(box)
    audit.record(
        db.session,
        "memory_box_legal_hold_placed" if on else "memory_box_legal_hold_lifted",
        actor_id=actor.id,
        object_type="memory_box",
        object_id=child.id,
        reason=reason.strip(),
    )
    return box


@transactional
def delete_item(actor: User, item: MemoryItem, *, reason: str) -> None:
    """An admin act with a reason, refused under a legal hold. The audit trail keeps what was deleted and why."""
    if not actor.has_role(Role.ADMIN):
        raise MemoryRefused("Only an admin can delete a memory")
    if not reason.strip():
        raise MemoryRefused("Give the reason for deleting this memory")
    if box_settings(item.child).legal_hold:
        raise MemoryRefused("This memory box is under a legal hold, so nothing in it can be deleted")
    stored = item.file
    audit.record(
        db.session,
        "memory_deleted",
        actor_id=actor.id,
        object_type="memory_item",
        object_id=item.id,
        child_id=item.child_id,
        reason=reason.strip(),
        title=item.title,
        kind=item.kind,
        memory_date=item.memory_date.isoformat(),
        added_by_id=item.added_by_id,
        before_retention_date=item.retain_until > today() or None,
    )
    db.session.delete(item)
    resolve_reminders_when_queue_empty(item.child_id)
    if stored is not None:
        db.session.flush()
        db.session.delete(stored)
    if stored is not None:
        discard(stored)
