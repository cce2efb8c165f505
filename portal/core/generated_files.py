"""Files Hearth makes itself from its own data (certificates, reports): stored and ready at once, with no scan or
rebuild, as a StoredFile like any upload so that features file and serve them the same way."""

from __future__ import annotations

import hashlib
import uuid

from portal.core.db import db, utcnow
from portal.core.files.sniff import EXTENSION, MIME
from portal.core.uploads import READY, StoredFile, safe_display_name, storage


def store_generated(
    data: bytes, *, kind: str, name: str, purpose: str, prefix: str, uploaded_by_id: int | None
) -> StoredFile:
    """Store `data` under a generated key and return its `ready` StoredFile, added to the caller's transaction, with
    one rendition, "master". `kind` is a portal.core.files.sniff kind ("pdf"); `name` is shown as the file name.
    Raises portal.core.storage.StorageError when the store cannot be written (nothing is added then)."""
    stored = StoredFile(
        uid=str(uuid.uuid4()),
        key_prefix=prefix,
        purpose=purpose,
        kind=kind,
        status=READY,
        original_name=safe_display_name(name, f"document.{EXTENSION[kind]}"),
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
        ready_at=utcnow(),
    )
    key = f"{prefix}/{stored.uid}/master.{EXTENSION[kind]}"
    storage().put(key, data, MIME[kind])
    stored.renditions = {"master": {"key": key, "mime": MIME[kind], "size": len(data)}}
    db.session.add(stored)
    return stored
