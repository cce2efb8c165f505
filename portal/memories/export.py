"""The whole box to take away: a ZIP of the cleaned originals and a printable life story book, for a limited time."""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import uuid
import zipfile
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.auth.models import User
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.jobs import LOW_PRIORITY, enqueue
from portal.core.links import path_to
from portal.core.pdf import Document
from portal.core.storage import StorageError, get_storage
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.core.uploads import READY, StoredFile, discard
from portal.memories.models import EXPORT_FAILED, EXPORT_PREPARING, EXPORT_READY, MemoryExport, MemoryItem, MemoryKind
from portal.memories.policy import BoxAccess
from portal.memories.queries import box_items_in_date_order
from portal.memories.services import MemoryRefused
from portal.people.models import Child

EXPORT_DAYS = 7
KINDS = {"zip": ("application/zip", "zip"), "pdf": ("application/pdf", "pdf")}


@transactional
def request_export(actor: User, access: BoxAccess) -> MemoryExport:
    """Queue the preparation; the person is told on the page (and in their notifications) when it is ready."""
    if not access.can_export:
        raise MemoryRefused("Only the child's social worker or the young person can take a copy of the box")
    export = MemoryExport(
        child_id=access.child.id,
        requested_by_id=actor.id,
        status=EXPORT_PREPARING,
        expires_at=utcnow() + timedelta(days=EXPORT_DAYS),
    )
    db.session.add(export)
    db.session.flush()
    audit.record(
        db.session,
        "memory_export_requested",
        actor_id=actor.id,
        object_type="memory_export",
        object_id=export.id,
        child_id=access.child.id,
    )
    from portal.memories.jobs import build_export

    enqueue(build_export, export.id, priority=LOW_PRIORITY)
    return export


def is_downloadable(export: MemoryExport, now: datetime | None = None) -> bool:
    return (
        export.status == EXPORT_READY
        and export.expires_at > (now or utcnow())
        and export.zip_file is not None
        and export.pdf_file is not None
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="hearth.memory-export")


def download_token(export: MemoryExport, kind: str) -> str:
    """Binds the link to this export, this file and its expiry: a copied link stops working when the export does."""
    return _serializer().dumps([export.id, kind, int(export.expires_at.timestamp())])


def token_is_valid(export: MemoryExport, kind: str, token: str | None, now: datetime | None = None) -> bool:
    try:
        export_id, signed_kind, expires = _serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        return False
    now = now or utcnow()
    return export_id == export.id and signed_kind == kind and expires > now.timestamp() and is_downloadable(export, now)


def download_url(export: MemoryExport, kind: str) -> str:
    return path_to("memories.download_export", export_id=export.id, kind=kind, token=download_token(export, kind))


@transactional
def record_download(actor: User, export: MemoryExport, kind: str) -> None:
    audit.record(
        db.session,
        "memory_export_downloaded",
        actor_id=actor.id,
        object_type="memory_export",
        object_id=export.id,
        child_id=export.child_id,
        file=kind,
    )


@transactional
def build(export: MemoryExport) -> None:
    """Write both files to storage and mark the export ready (or failed, with nothing left behind)."""
    child = db.session.get(Child, export.child_id)
    items = box_items_in_date_order(child)
    written: list[StoredFile] = []
    try:
        book = life_story_book(child, items)
        with tempfile.SpooledTemporaryFile(max_size=32 << 20) as spool:
            _write_zip(spool, child, items, book)
            written.append(_store(export, spool, "zip", f"{child.known_as} memory box.zip"))
        written.append(_store(export, io.BytesIO(book), "pdf", f"{child.known_as} life story book.pdf"))
    except (StorageError, OSError, RuntimeError) as exc:
        for stored in written:
            discard(stored)
        export.status, export.failure = EXPORT_FAILED, "The copy could not be prepared. Please try again"
        current_app.logger.warning(
            "memory export failed", extra={"event": "export_failed", "error": type(exc).__name__}
        )
        return
    export.zip_file, export.pdf_file = written
    export.item_count, export.status, export.ready_at = len(items), EXPORT_READY, utcnow()
    db.session.add_all(written)


def _store(export: MemoryExport, data, kind: str, name: str) -> StoredFile:
    """A generated file, ready at once: it is built from already-cleaned renditions, so it skips the scan."""
    mime, ext = KINDS[kind]
    data.seek(0, io.SEEK_END)
    size = data.tell()
    data.seek(0)
    digest = hashlib.sha256()
    while chunk := data.read(1 << 20):
        digest.update(chunk)
    data.seek(0)
    stored = StoredFile(
        uid=str(uuid.uuid4()),
        key_prefix=f"exports/memories/{export.child_id}",
        purpose="memory_export",
        kind=kind,
        status=READY,
        original_name=name,
        size_bytes=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=export.requested_by_id,
        ready_at=utcnow(),
    )
    key = f"{stored.key_prefix}/{stored.uid}/master.{ext}"
    get_storage().put(key, data, mime)
    stored.renditions = {"master": {"key": key, "mime": mime, "size": size}}
    return stored


def _name(index: int, item: MemoryItem, ext: str) -> str:
    title = re.sub(r"[^\w\- ]+", "", item.title, flags=re.UNICODE).strip()[:60] or "memory"
    return f"{index:04d} {item.memory_date.isoformat()} {title}.{ext}"


def _read(key: str) -> bytes:
    with get_storage().open(key) as handle:
        return handle.read()


def _write_zip(target, child: Child, items: list[MemoryItem], book: bytes) -> None:
    lines = [f"The memory box of {child.known_as} {child.last_name}", ""]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("life-story-book.pdf", book)
        for index, item in enumerate(items, start=1):
            if item.kind == MemoryKind.NOTE:
                name = _name(index, item, "txt")
                z.writestr(name, f"{item.title}\n{uk_date(item.memory_date)}\n\n{item.body or ''}\n")
            else:
                # The "master" rendition is the cleaned copy: re-encoded, with no location or device details.
                master = item.file.rendition("master")
                name = _name(index, item, master["key"].rsplit(".", 1)[-1])
                z.writestr(name, _read(master["key"]))
            lines.append(f"{name}\n    {item.title}. {item.caption}".rstrip())
        z.writestr("contents.txt", "\n".join(lines) + "\n")


def life_story_book(child: Child, items: list[MemoryItem]) -> bytes:
    pdf = Document(f"{child.known_as}'s life story book", bottom_margin=18)
    pdf.add_page()
    pdf.ln(60)
    pdf.para(f"{child.known_as}'s life story book", size=26, bold=True, gap=6)
    pdf.para(
        f"{len(items)} memories"
        + (f", from {uk_date(items[0].memory_date)} to {uk_date(items[-1].memory_date)}" if items else ""),
        size=13,
    )
    month = None
    for item in items:
        heading = f"{item.memory_date:%B %Y}"
        if heading != month or pdf.get_y() > 200:
            pdf.add_page()
            if heading != month:
                pdf.start_section(heading, level=0)  # the book's outline: months, then memories
                pdf.para(heading, size=18, bold=True, gap=4)
            month = heading
        pdf.start_section(item.title, level=1)
        pdf.para(item.title, size=14, bold=True, gap=1)
        pdf.para(uk_date(item.memory_date) + (f" · with {item.people}" if item.people else ""), size=10, gap=2)
        picture = item.file.rendition("display") if item.file is not None else None
        if picture is not None and picture["mime"] == "image/jpeg":
            ratio = (picture.get("height") or 3) / (picture.get("width") or 4)
            width = min(150.0, 110.0 / ratio)
            if pdf.get_y() + width * ratio > 270:
                pdf.add_page()
            pdf.image(io.BytesIO(_read(picture["key"])), w=width, h=width * ratio, alt_text=item.title)
            pdf.ln(3)
        if item.caption:
            pdf.para(item.caption, size=11, gap=2)
        if item.kind == MemoryKind.NOTE and item.body:
            pdf.para(item.body, size=11, gap=2)
        elif item.kind == MemoryKind.VIDEO:
            pdf.para("A video: it is in the folder of originals that came with this book.", size=9)
        elif item.kind == MemoryKind.DOCUMENT:
            pdf.para("A document: it is in the folder of originals that came with this book.", size=9)
        pdf.ln(4)
    return pdf.bytes()
