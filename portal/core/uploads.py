"""The upload pipeline every feature shares: receive → quarantine → (job) scan → clean → renditions → ready.

A feature row points at a StoredFile; nothing is shown or served until the file is `ready`. Stored keys are generated
(`<prefix>/<uuid>/<rendition>.<ext>`), never taken from the person's file name, which is kept as metadata only.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import uuid
from datetime import date, datetime
from typing import BinaryIO

from flask import current_app
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import audit, leases
from portal.core.db import Base, IdMixin, db, utcnow
from portal.core.files import UploadRejected
from portal.core.files.sniff import Sniffed, sniff
from portal.core.jobs import LOW_PRIORITY, enqueue, job
from portal.core.scanning import ScannerUnavailable
from portal.core.storage import StorageError

log = logging.getLogger("hearth.uploads")

PROCESSING, PENDING_SCAN, READY, REJECTED = "processing", "pending_scan", "ready", "rejected"


class TooManyUploads(UploadRejected):
    """A person sent more files in an hour than anyone needs to: answered with 429."""


class StoredFile(IdMixin, Base):
    __tablename__ = "stored_files"

    uid: Mapped[str] = mapped_column(String(36), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=PROCESSING, index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    renditions: Mapped[dict] = mapped_column(JSON, default=dict)  # name -> {key, mime, width, height, size}
    taken_on: Mapped[date | None]
    # Who answers for a file still being processed, and until when (portal.core.leases): "queue" while a job for it
    # waits, a worker's name while one runs it. Past the time, the scheduler's sweep queues it again.
    leased_by: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None]

    @property
    def quarantine_key(self) -> str:
        return f"quarantine/{self.uid}"

    @property
    def is_ready(self) -> bool:
        return self.status == READY

    @property
    def family(self) -> str:
        return Sniffed(self.kind).family

    def rendition(self, name: str) -> dict | None:
        return self.renditions.get(name) or (self.renditions.get("master") if name == "original" else None)


def safe_display_name(name: str | None, fallback: str) -> str:
    """A file name fit to show and to put in Content-Disposition: no paths, controls, bidi tricks or excess length."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # controls, RTLO and other format chars
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return fallback
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + "." + ext[:8]) if dot and len(ext) <= 8 else name[:120]
    return name


def size_limit(kind_family: str) -> int:
    cfg = current_app.config
    return (
        {
            "image": cfg["UPLOAD_MAX_IMAGE_MB"],
            "document": cfg["UPLOAD_MAX_DOCUMENT_MB"],
            "video": cfg["UPLOAD_MAX_VIDEO_MB"],
        }[kind_family]
        * 1024
        * 1024
    )


def receive(
    actor,
    stream: BinaryIO,
    filename: str | None,
    *,
    purpose: str,
    prefix: str,
    allowed_families: frozenset[str] = frozenset({"image", "document"}),
) -> StoredFile:
    """Check the bytes, put them in quarantine and add the row to the caller's transaction.

    The caller's unit of work commits its own row together with this one; `start_processing(stored)` queues the
    check for after that commit.
    Raises UploadRejected (nothing stored) for anything not on the allow-list.
    """
    if actor is not None:
        _count_upload(actor.id)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    sniffed = sniff(stream)
    if sniffed.family not in allowed_families:
        raise UploadRejected(_family_message(allowed_families))
    if size > size_limit(sniffed.family):
        raise UploadRejected(f"The file must be smaller than {size_limit(sniffed.family) // (1024 * 1024)} MB")
    # Refused on the form, not later in the job: picture size lies (decompression bombs), incomplete or encrypted
    # files, documents over the page limit. Headers and structure only; pixels are decoded and drawn in the job.
    if sniffed.family == "image":
        from portal.core.files.images import check_image

        check_image(stream, sniffed.kind)
    elif sniffed.family == "document":
        from portal.core.files.documents import DocumentSettings, check_document

        check_document(stream, sniffed.kind, DocumentSettings.from_config(current_app.config))
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    stream.seek(0)
    stored = StoredFile(
        uid=str(uuid.uuid4()),
        key_prefix=prefix,
        purpose=purpose,
        kind=sniffed.kind,
        status=PROCESSING,
        original_name=safe_display_name(filename, f"upload.{sniffed.kind}"),
        size_bytes=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=actor.id if actor else None,
        renditions={},  # set now, not at insert: discard() may run before the row is ever flushed
        **leases.queued_lease(),
    )
    storage().put(stored.quarantine_key, stream, "application/octet-stream")
    db.session.add(stored)
    return stored


def _count_upload(user_id: int) -> None:
    counter = current_app.extensions["hearth_upload_counter"]
    key, window = f"uploads:{user_id}", 3600
    count, _latest = counter.recent(key, window)
    if count >= current_app.config["UPLOADS_PER_HOUR"]:
        raise TooManyUploads("You have uploaded a lot of files in the last hour. Please wait a while and try again")
    counter.add(key, window)


def _family_message(allowed: frozenset[str]) -> str:
    words = {
        "image": "a photo (JPG, PNG, WebP or HEIC)",
        "document": "a PDF, Word (DOCX) or OpenDocument (ODT) file",
        "video": "a video (MP4 or MOV)",
    }
    parts = [words[f] for f in ("image", "document", "video") if f in allowed]
    return "This type of file cannot be uploaded here. You can upload " + " or ".join(parts)


def discard(stored: StoredFile) -> None:
    """Remove a file's stored objects (quarantine and renditions); used when its owning row is not kept."""
    if stored in db.session.new:
        db.session.expunge(stored)  # never flushed: a later commit in the same request must not persist it
    s = storage()
    for key in [stored.quarantine_key] + [r["key"] for r in (stored.renditions or {}).values()]:
        try:
            s.delete(key)
        except StorageError:
            log.warning("could not delete object", extra={"event": "delete_failed"})


def start_processing(stored: StoredFile) -> None:
    """Queue the file's job once its row is committed: documents on the low priority, so photos and emails never
    wait behind them."""
    enqueue(process_document if stored.family == "document" else process_upload, stored.id)


def storage():
    return current_app.extensions["hearth_storage"]


def scanner():
    return current_app.extensions["hearth_scanner"]


@job(retries=12, retry_delay=300)
def process_upload(stored_file_id: int) -> None:
    """Scan, clean and store renditions of a photo or video. Idempotent: a ready or rejected file is left as it is,
    and a file another worker is processing is left to it (portal.core.leases)."""
    _process(stored_file_id)


@job(retries=12, retry_delay=300, priority=LOW_PRIORITY)
def process_document(stored_file_id: int) -> None:
    """Scan a document and rebuild it from pictures of its pages (bounded by DOCUMENT_MAX_SECONDS). Idempotent."""
    _process(stored_file_id)


def _process(stored_file_id: int) -> None:
    if not leases.claim(stored_file_id):
        return
    stored = db.session.get(StoredFile, stored_file_id, populate_existing=True)
    if stored is None:
        return
    s = storage()
    try:
        with s.open(stored.quarantine_key) as raw:
            data = io.BytesIO(raw.read())
    except StorageError:
        _reject(stored, "The file was lost before it could be checked. Please upload it again")
        return
    try:
        result = scanner().scan(data)
    except ScannerUnavailable:
        # Fail closed: the file stays unseen until clamd answers; the job retries.
        stored.status = PENDING_SCAN
        leases.hand_back(stored)
        db.session.commit()
        raise
    if not result.clean:
        audit.record(
            db.session,
            "upload_infected",
            actor_id=stored.uploaded_by_id,
            object_type="stored_file",
            object_id=stored.id,
            signature=result.signature,
        )
        _reject(stored, "This file contains a virus, so it has been deleted. Scan your device and upload a clean copy")
        return
    written: list[str] = []
    try:
        renditions = _clean_and_store(stored, data, written)
    except UploadRejected as exc:
        for key in written:
            s.delete(key)
        _reject(stored, str(exc))
        return
    except Exception:
        for key in written:  # no orphans: a half-finished set of renditions is removed before the retry
            s.delete(key)
        leases.hand_back_after_failure(stored)
        raise
    stored.renditions = renditions
    stored.status = READY
    stored.ready_at = utcnow()
    leases.finish(stored)
    db.session.commit()
    s.delete(stored.quarantine_key)


def _put(stored: StoredFile, name: str, data: bytes, mime: str, ext: str, written: list[str], **extra) -> dict:
    key = f"{stored.key_prefix}/{stored.uid}/{name}.{ext}"
    storage().put(key, data, mime)
    written.append(key)
    return {"key": key, "mime": mime, "size": len(data), **extra}


def _clean_and_store(stored: StoredFile, data: io.BytesIO, written: list[str]) -> dict:
    from portal.core.files.sniff import EXTENSION, MIME

    family = Sniffed(stored.kind).family
    out: dict = {}
    if family == "image":
        from portal.core.files.images import clean_image

        clean = clean_image(data)
        if clean.taken_on:
            try:
                stored.taken_on = date.fromisoformat(clean.taken_on)
            except ValueError:
                pass
        for name, r in clean.renditions.items():
            out[name] = _put(stored, name, r.data, r.mime, r.extension, written, width=r.width, height=r.height)
    elif family == "video":
        from portal.core.files.video import clean_video

        clean = clean_video(data)
        out["master"] = _put(
            stored,
            "master",
            clean.data,
            "video/mp4",
            "mp4",
            written,
            width=clean.width,
            height=clean.height,
            duration=round(clean.duration_seconds, 1),
        )
        for name in ("display", "thumb"):
            r = clean.poster.renditions[name]
            out[name] = _put(stored, name, r.data, r.mime, r.extension, written, width=r.width, height=r.height)
    else:
        from portal.core.files.documents import DocumentSettings, rebuild_document

        rebuilt = rebuild_document(data.getvalue(), stored.kind, DocumentSettings.from_config(current_app.config))
        out["master"] = _put(stored, "master", rebuilt, MIME["pdf"], EXTENSION["pdf"], written)
        stored.kind = "pdf"  # from now on the rebuilt PDF is the document's original
    return out


def _reject(stored: StoredFile, reason: str) -> None:
    s = storage()
    # Also whatever an earlier attempt wrote before its worker was killed: keys are per file, so nothing else is hit.
    for key in [stored.quarantine_key, *s.keys(f"{stored.key_prefix}/{stored.uid}/")]:
        s.delete(key)
    leases.finish(stored)
    stored.status = REJECTED
    stored.rejection_reason = reason
    db.session.commit()


def reconcile() -> dict[str, list[str]]:
    """Compare stored objects with rows: objects no row claims, and ready rows whose objects are missing.

    A quarantine object can exist for a moment before its row commits, so unclaimed quarantine keys are reported
    separately and never deleted by the reconciler.
    """
    s = storage()
    rows = db.session.scalars(select(StoredFile)).all()
    claimed = set()
    missing = []
    for row in rows:
        if row.status in (PROCESSING, PENDING_SCAN):
            claimed.add(row.quarantine_key)
        for r in row.renditions.values():
            claimed.add(r["key"])
            if row.status == READY and not s.exists(r["key"]):
                missing.append(r["key"])
    unclaimed = [k for k in s.keys() if k not in claimed]  # noqa: SIM118 (storage, not a dict)
    return {
        "orphaned_objects": [k for k in unclaimed if not k.startswith("quarantine/")],
        "unclaimed_quarantine": [k for k in unclaimed if k.startswith("quarantine/")],
        "missing_objects": missing,
    }


def send_rendition(stored: StoredFile, name: str, *, as_attachment: bool):
    """Stream a ready file (local) or redirect to a short-lived presigned URL (S3). Callers run the policy loader first."""
    from urllib.parse import quote

    from flask import Response, abort, redirect, stream_with_context

    rendition = stored.rendition(name) if stored.is_ready else None
    if rendition is None:
        abort(404)
    mime = rendition["mime"]
    # Documents are always downloaded, never rendered by the browser; only our re-encoded pictures show inline.
    inline = not as_attachment and mime.startswith(("image/jpeg", "image/png", "video/mp4"))
    ext = rendition["key"].rsplit(".", 1)[-1]
    base = stored.original_name.rsplit(".", 1)[0] if "." in stored.original_name else stored.original_name
    filename = f"{base}.{ext}"
    disposition = "inline" if inline else "attachment"
    url = storage().presigned_url(
        rendition["key"], filename=filename, content_type=mime, seconds=300, disposition=disposition
    )
    if url:
        response = redirect(url, code=303)
    else:
        handle = storage().open(rendition["key"])

        def chunks():
            with handle:
                while chunk := handle.read(256 * 1024):
                    yield chunk

        response = Response(stream_with_context(chunks()), mimetype=mime)
        response.headers["Content-Length"] = str(rendition["size"])
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
