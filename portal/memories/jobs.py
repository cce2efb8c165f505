"""Background work for memory boxes: dates from photos, preparing exports, clearing expired ones."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.db import db, utcnow
from portal.core.jobs import every, job
from portal.core.links import path_to
from portal.core.unit_of_work import transactional
from portal.core.uploads import discard
from portal.memories.models import EXPORT_READY, MemoryExport, MemoryItem
from portal.memories.services import ask_for_the_date, plausible_photo_date

EXPIRED = "expired"


class FileNotReadyYet(RuntimeError):
    """The upload is still being scanned; huey retries the task later."""


@job(retries=30, retry_delay=60)
def settle_memory_date(item_id: int) -> None:
    """Once the photo is cleaned, take the memory's date from when it was taken (if the carer left it blank), or
    ask the person who added it when the photo gives no date that fits (portal.memories.services.plausible_photo_date).
    """
    item = db.session.get(MemoryItem, item_id)
    if item is None or not item.date_from_photo or item.file is None:
        return
    if item.file.status in ("processing", "pending_scan"):
        raise FileNotReadyYet(item_id)
    if item.file.is_ready:
        taken = plausible_photo_date(item.file.taken_on, item.child, added_on=item.memory_date)
        if taken is not None:
            item.memory_date = taken
        else:
            ask_for_the_date(item)
    item.date_from_photo = False
    db.session.commit()


@job(retries=2, retry_delay=120)
@transactional
def build_export(export_id: int) -> None:
    """Build the files and tell the person who asked, in one transaction: the notice never names a missing copy."""
    from portal.memories.export import build

    export = db.session.get(MemoryExport, export_id)
    if export is None or export.status != "preparing":
        return  # idempotent: done already, or failed and shown as such
    build(export)
    if export.status == EXPORT_READY:
        from portal.core.notify import notify_in_app

        notify_in_app(
            export.requested_by_id,
            "The copy of the memory box is ready to download",
            path_to("memories.show_exports", child_id=export.child_id),
            kind="memory_export_ready",
            key=f"memory-export:{export.id}",
        )


def remove_expired_exports() -> int:
    """Delete the files of exports past their expiry; the row stays as a record that one was made."""
    removed = 0
    for export in list(
        db.session.scalars(
            select(MemoryExport).where(MemoryExport.status == EXPORT_READY, MemoryExport.expires_at <= utcnow())
        )
    ):
        files = [f for f in (export.zip_file, export.pdf_file) if f is not None]
        export.status, export.zip_file, export.pdf_file = EXPIRED, None, None
        for stored in files:
            db.session.delete(stored)
        db.session.commit()
        for stored in files:
            discard(stored)
        removed += 1
    return removed


@every(minute="20", hour="3")
def clear_expired_exports() -> int:
    """Nightly: the files of exports whose download links have expired are removed."""
    return remove_expired_exports()
