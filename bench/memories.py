"""A memory box of 5,000 items: the timeline's first page and a page deep in the box, against /healthz in the same
run, and against the same pages with 50 items. Keyset paging on an index: the cost must not grow with the box."""

from __future__ import annotations

import io
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from bench.in_process import demo_app, median_seconds, sign_in

ROUNDS = 100
SIZES = (50, 5_000)


def _tiny_thumbnail(app) -> dict:
    """One small cleaned JPEG in storage, shared by every row: only the rows are under test, not the pictures."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buf, "JPEG")
    key = f"bench/{uuid.uuid4()}/thumb.jpg"
    app.extensions["hearth_storage"].put(key, buf.getvalue(), "image/jpeg")
    rendition = {"key": key, "mime": "image/jpeg", "size": len(buf.getvalue()), "width": 8, "height": 8}
    return {"master": rendition, "display": rendition, "thumb": rendition}


def fill_box(app, child_id: int, carer_id: int, count: int, start_at: int = 0) -> None:
    """Insert rows directly (one executemany per table), as a box that grew over years would hold them."""
    from sqlalchemy import insert, select

    from portal.core.db import db, utcnow
    from portal.core.uploads import StoredFile
    from portal.memories.models import MemoryItem, MemoryItemTag

    renditions, now, first = _tiny_thumbnail(app), utcnow(), date(2009, 1, 1)
    files = [
        {
            "uid": str(uuid.uuid4()),
            "key_prefix": "bench",
            "purpose": "memory",
            "kind": "jpeg",
            "status": "ready",
            "original_name": f"IMG_{n}.jpg",
            "size_bytes": 100,
            "sha256": "0" * 64,
            "created_at": now,
            "ready_at": now,
            "renditions": renditions,
        }
        for n in range(start_at, start_at + count)
    ]
    db.session.execute(insert(StoredFile), files)
    ids = list(db.session.scalars(select(StoredFile.id).where(StoredFile.uid.in_([f["uid"] for f in files]))))
    rows = [
        {
            "child_id": child_id,
            "kind": "photo",
            "stored_file_id": file_id,
            "title": f"Memory {start_at + n}",
            "caption": "",
            "people": "",
            "memory_date": first + timedelta(days=(start_at + n) % 6000),
            "status": "approved",
            "added_by_id": carer_id,
            "created_at": now,
            "approved_at": now,
            "retain_until": date(2085, 1, 1),
            "is_sensitive": False,
            "date_from_photo": False,
        }
        for n, file_id in enumerate(ids)
    ]
    db.session.execute(insert(MemoryItem), rows)
    item_ids = db.session.scalars(select(MemoryItem.id).where(MemoryItem.stored_file_id.in_(ids))).all()
    db.session.execute(insert(MemoryItemTag), [{"item_id": i, "tag": "birthday"} for i in item_ids[::25]])
    db.session.commit()


def _timings(app, client, child_id: int) -> dict[str, float]:
    from sqlalchemy import func, select

    from portal.core.db import db
    from portal.memories.models import MemoryItem

    with app.app_context():
        # A cursor about four fifths of the way into the box, as "Older memories" would give after many pages.
        deep = db.session.execute(
            select(MemoryItem.memory_date, MemoryItem.id)
            .where(MemoryItem.child_id == child_id)
            .order_by(MemoryItem.memory_date.desc(), MemoryItem.id.desc())
            .offset(
                int(
                    0.8
                    * (db.session.scalar(select(func.count(MemoryItem.id)).where(MemoryItem.child_id == child_id)) or 1)
                )
            )
            .limit(1)
        ).first()
    later = f"/memory-box/{child_id}?after={deep[0].isoformat()}.{deep[1]}"
    return {
        "first page": median_seconds(client, f"/memory-box/{child_id}", ROUNDS),
        "later page": median_seconds(client, later, ROUNDS),
        "oldest first": median_seconds(client, f"/memory-box/{child_id}?order=oldest", ROUNDS),
        "tag filter": median_seconds(client, f"/memory-box/{child_id}?tag=birthday", ROUNDS),
    }


def main() -> None:
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.core.db import db
    from portal.people.models import Child

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(Path(tmp))
        with app.app_context():
            child_id = db.session.scalar(select(Child.id).where(Child.case_reference == "LAC-20400"))
            carer_id = db.session.scalar(select(User.id).where(User.email == "carer@example.org"))
        client = app.test_client()
        sign_in(client, "carer@example.org")
        results, filled = {}, 0
        for size in SIZES:
            with app.app_context():
                fill_box(app, child_id, carer_id, size - filled, start_at=filled)
            filled = size
            baseline = median_seconds(client, "/healthz", ROUNDS)
            results[size] = (baseline, _timings(app, client, child_id))
        print(f"Memory-box timeline, median of {ROUNDS} requests, as ratios of /healthz measured in the same run:")
        for size, (baseline, timings) in results.items():
            parts = ", ".join(f"{name} {t * 1000:.2f} ms ({t / baseline:.1f}x)" for name, t in timings.items())
            print(f"  {size:>5} items (/healthz {baseline * 1000:.2f} ms): {parts}")
        small, large = results[SIZES[0]][1], results[SIZES[-1]][1]
        growth = ", ".join(f"{name} {large[name] / small[name]:.2f}x" for name in small)
        print(f"  growth from {SIZES[0]} to {SIZES[-1]} items: {growth}")


if __name__ == "__main__":
    main()
