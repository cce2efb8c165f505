"""Use cases for logs and the filing cabinet: write, add to, read, comment, draft, file documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.core import audit
from portal.core.clock import future_time_problem, today
from portal.core.db import db, utcnow
from portal.core.files import UploadRejected
from portal.core.generated_files import store_generated
from portal.core.links import path_to, url_to
from portal.core.notice_kinds import LOG_REPLY, SIGNIFICANT_EVENT
from portal.core.notify import notify_in_app, resolve_notices, send_email
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.core.uploads import StoredFile, discard, receive, start_processing
from portal.people.models import Child, Household
from portal.records.models import (
    DocumentVersion,
    Folder,
    HouseholdDocument,
    LogAttachment,
    LogComment,
    LogDraft,
    LogEntry,
    LogRead,
)
from portal.records.policy import folders_user_may_upload_to


class RecordRefused(ValueError):
    """A rule said no; the message is for the person. `field` names the form field it belongs to, if one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Upload:
    stream: BinaryIO
    filename: str | None


def _receive_all(actor: User, uploads: list[Upload], *, purpose: str, prefix: str) -> list[StoredFile]:
    """All or nothing: if one file is refused, the ones already put in quarantine are removed."""
    stored: list[StoredFile] = []
    try:
        for up in uploads:
            stored.append(receive(actor, up.stream, up.filename, purpose=purpose, prefix=prefix))
    except UploadRejected:
        for s in stored:
            discard(s)
        raise
    return stored


@transactional
def write_log_entry(
    actor: User,
    *,
    child: Child,
    household: Household,
    entry_date: date,
    time_of_day: time | None,
    category: str,
    body: str,
    is_significant: bool,
    idempotency_key: str,
    attachments: list[Upload] = (),
    addendum_to: LogEntry | None = None,
) -> tuple[LogEntry, bool]:
    """Sign and store an entry. Returns (entry, created); a repeated idempotency key returns the first entry."""
    existing = db.session.scalar(select(LogEntry).where(LogEntry.idempotency_key == idempotency_key))
    if existing is not None:
        if existing.author_id != actor.id:
            raise RecordRefused("This form was already used. Please start a new entry")
        return existing, False
    if entry_date > today():
        raise RecordRefused("The date must be today or in the past", "entry_date")
    future = future_time_problem(entry_date, time_of_day)
    if future:
        raise RecordRefused(future, "time_of_day")
    stored = _receive_all(actor, list(attachments), purpose="log_attachment", prefix=f"logs/{child.id}")
    entry = LogEntry(
        child_id=child.id,
        household_id=household.id,
        author_id=actor.id,
        entry_date=entry_date,
        time_of_day=time_of_day,
        category=category,
        body=body.strip(),
        is_significant=is_significant,
        idempotency_key=idempotency_key,
        addendum_to_id=addendum_to.id if addendum_to else None,
    )
    db.session.add(entry)
    for s in stored:
        db.session.add(LogAttachment(entry=entry, file=s))
    try:
        db.session.flush()
        audit.record(
            db.session,
            "log_addendum_written" if addendum_to else "log_entry_written",
            actor_id=actor.id,
            object_type="log_entry",
            object_id=entry.id,
            child_id=child.id,
            significant=entry.needs_escalation or None,
            attachments=len(stored) or None,
        )
        recipients = _escalation_recipients(entry, household, child) if entry.needs_escalation else []
        for user_id in recipients:
            notify_in_app(
                user_id,
                f"Significant event logged for {child.known_as} on {uk_date(entry_date)}",
                path_to("records.show_log_entry", entry_id=entry.id),
                kind=SIGNIFICANT_EVENT.name,
                target=f"log-entry:{entry.id}",
                key=f"significant-event:{entry.id}",
            )
        db.session.execute(LogDraft.__table__.delete().where(LogDraft.author_id == actor.id))
    except IntegrityError:
        # Two submissions with one key raced: the other won; hand back its entry and drop our files.
        db.session.rollback()
        for s in stored:
            discard(s)
        existing = db.session.scalar(select(LogEntry).where(LogEntry.idempotency_key == idempotency_key))
        if existing is None:
            raise
        return existing, False
    for s in stored:
        start_processing(s)
    for user_id in recipients:
        user = db.session.get(User, user_id)
        if user and user.is_active:
            # The email says only that something needs reading: details stay behind the sign-in.
            send_email(
                user.email,
                "A significant event has been logged",
                "significant_event",
                kind=SIGNIFICANT_EVENT.name,
                name=user.full_name,
                link=url_to("records.show_log_entry", entry_id=entry.id),
            )
    return entry, True


def _escalation_recipients(entry: LogEntry, household: Household, child: Child) -> list[int]:
    ids = [household.ssw_id, child.social_worker_id]
    return sorted({i for i in ids if i and i != entry.author_id})


@transactional
def mark_read(actor: User, entry: LogEntry) -> None:
    if db.session.scalar(select(LogRead).where(LogRead.log_entry_id == entry.id, LogRead.user_id == actor.id)):
        return
    try:
        with db.session.begin_nested():
            db.session.add(LogRead(log_entry_id=entry.id, user_id=actor.id))
            audit.record(db.session, "log_entry_read", actor_id=actor.id, object_type="log_entry", object_id=entry.id)
    except IntegrityError:
        pass  # marked read by the same person in another tab: the result is the same


@transactional
def comment_on_entry(actor: User, entry: LogEntry, body: str) -> LogComment:
    comment = LogComment(log_entry_id=entry.id, author_id=actor.id, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    audit.record(db.session, "log_comment_written", actor_id=actor.id, object_type="log_entry", object_id=entry.id)
    if actor.id == entry.author_id:  # the author answered: the replies' notices have done their work
        resolve_notices(f"log-entry:{entry.id}", kind=LOG_REPLY.name)
    else:
        notify_in_app(
            entry.author_id,
            f"{actor.full_name} replied to your log entry about {entry.child.known_as}",
            path_to("records.show_log_entry", entry_id=entry.id),
            kind=LOG_REPLY.name,
            target=f"log-entry:{entry.id}",
            key=f"log-comment:{comment.id}",
        )
    return comment


@transactional
def save_draft(actor: User, fields: dict) -> LogDraft:
    allowed = {
        "child_id",
        "entry_date-day",
        "entry_date-month",
        "entry_date-year",
        "time_of_day",
        "category",
        "body",
        "is_significant",
    }
    draft = db.session.scalar(select(LogDraft).where(LogDraft.author_id == actor.id)) or LogDraft(author_id=actor.id)
    draft.fields = {k: str(v)[:20000] for k, v in fields.items() if k in allowed}
    draft.updated_at = utcnow()
    db.session.add(draft)
    return draft


def get_draft(actor: User) -> LogDraft | None:
    return db.session.scalar(select(LogDraft).where(LogDraft.author_id == actor.id))


@transactional
def discard_draft(actor: User) -> None:
    db.session.execute(LogDraft.__table__.delete().where(LogDraft.author_id == actor.id))


@transactional
def file_document(
    actor: User,
    household: Household,
    *,
    folder: Folder,
    title: str,
    document_date: date,
    upload: Upload,
    replaces: HouseholdDocument | None = None,
) -> HouseholdDocument:
    """File a new document, or a new version of an existing one (the old versions are kept)."""
    if folder not in folders_user_may_upload_to(actor, household):
        raise RecordRefused("You cannot add documents to this folder", "folder")
    if document_date > today():
        raise RecordRefused("The document date must be today or in the past", "document_date")
    (stored,) = _receive_all(actor, [upload], purpose="household_document", prefix=f"households/{household.id}")
    try:
        document = replaces or HouseholdDocument(
            household_id=household.id,
            folder=folder,
            title=title.strip(),
            document_date=document_date,
            created_by_id=actor.id,
        )
        if replaces is not None:
            document.title, document.document_date = title.strip(), document_date
        number = 1 + max((v.number for v in document.versions), default=0)
        db.session.add(document)
        db.session.add(DocumentVersion(document=document, number=number, file=stored, uploaded_by_id=actor.id))
        db.session.flush()
        audit.record(
            db.session,
            "document_filed",
            actor_id=actor.id,
            object_type="household_document",
            object_id=document.id,
            household_id=household.id,
            folder=folder.value,
            version=number,
        )
    except Exception:
        db.session.rollback()
        discard(stored)
        raise
    start_processing(stored)
    return document


@transactional
def record_log_export(actor: User, child: Child, entries: int, fmt: str) -> None:
    """The export of a child's log is itself on the record (who, which child, how many entries, html or pdf)."""
    audit.record(
        db.session,
        "log_exported",
        actor_id=actor.id,
        object_type="child",
        object_id=child.id,
        entries=entries,
        format=fmt,
    )


@transactional
def file_generated_document(
    actor_id: int, household: Household, *, folder: Folder, title: str, document_date: date, pdf: bytes
) -> HouseholdDocument:
    """File a PDF Hearth made itself (a training certificate) in the household's cabinet. It is ready at once: it
    was built from Hearth's own data, not uploaded, so there is nothing to scan or rebuild."""
    stored = store_generated(
        pdf,
        kind="pdf",
        name=f"{title}.pdf",
        purpose="household_document",
        prefix=f"households/{household.id}",
        uploaded_by_id=actor_id,
    )
    document = HouseholdDocument(
        household_id=household.id,
        folder=folder,
        title=title.strip()[:200],
        document_date=document_date,
        created_by_id=actor_id,
    )
    db.session.add(document)
    db.session.add(DocumentVersion(document=document, number=1, file=stored, uploaded_by_id=actor_id))
    db.session.flush()
    audit.record(
        db.session,
        "document_filed",
        actor_id=actor_id,
        object_type="household_document",
        object_id=document.id,
        household_id=household.id,
        folder=folder.value,
        version=1,
        generated=True,
    )
    return document
