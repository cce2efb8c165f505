"""Daily log entries for every child living in a household, and each household's filing cabinet of documents."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bench.generate import Volume, generator
from portal.core.db import utcnow
from portal.core.uploads import StoredFile
from portal.records.models import DocumentVersion, HouseholdDocument, LogEntry

CATEGORIES = ["daily_life"] * 5 + ["health", "education", "family_time", "behaviour", "achievement", "incident"]
BODIES = [
    "Good day at school; homework done before tea and a long bath.",
    "Contact with mum went well; a little unsettled at bedtime, settled after a story.",
    "Dentist check-up, no treatment needed. Next appointment in six months.",
    "Swimming lesson: moved up a group and very proud of it.",
]
LOGS_PER_CHILD, LOGS_FOR_ANCHOR = 8, 15
DOCUMENTS_PER_HOUSEHOLD = 3


@generator("records", after=("people",))
def generate_records(v: Volume) -> None:
    rnd, on, a = v.rnd, v.on, v.anchors
    homes = dict(v.ids["current_home"])
    carer_of = dict(v.ids["household_carer"])
    if a.child_id and a.household_id and a.carer_id:
        homes[a.child_id] = a.household_id
        carer_of[a.household_id] = a.carer_id
    rows = []
    for child_id, household_id in homes.items():
        n = v.many(LOGS_FOR_ANCHOR) if child_id == a.child_id else LOGS_PER_CHILD
        rows.extend(
            {
                "child_id": child_id,
                "household_id": household_id,
                "author_id": carer_of[household_id],
                "entry_date": on - timedelta(days=rnd.randint(0, 40 * n // 8 + 1)),
                "category": rnd.choice(CATEGORIES),
                "body": rnd.choice(BODIES),
                "is_significant": rnd.random() < 0.05,
                "idempotency_key": uuid.uuid4().hex,
            }
            for _ in range(n)
        )
    v.insert(LogEntry, rows)

    households = list(v.ids["households"]) + ([a.household_id] if a.household_id and a.carer_id else [])
    documents = []
    for hid in households:
        n = v.many(DOCUMENTS_PER_HOUSEHOLD) if hid == a.household_id else DOCUMENTS_PER_HOUSEHOLD
        documents.extend(
            {
                "household_id": hid,
                "folder": "household_profile",
                "title": rnd.choice(["Safer caring plan", "Annual review", "Pet assessment", "Car insurance"]),
                "document_date": on - timedelta(days=rnd.randint(0, 900)),
                "created_by_id": carer_of[hid],
            }
            for _ in range(n)
        )
    document_ids = v.insert(HouseholdDocument, documents)
    now = utcnow()
    files = v.insert(
        StoredFile,
        [
            {
                "uid": str(uuid.uuid4()),
                "key_prefix": f"households/{d['household_id']}",
                "purpose": "household_document",
                "kind": "pdf",
                "status": "ready",
                "original_name": "document.pdf",
                "size_bytes": 48_000,
                "sha256": uuid.uuid4().hex * 2,
                "uploaded_by_id": d["created_by_id"],
                "ready_at": now,
                "renditions": {},
            }
            for d in documents
        ],
    )
    v.insert(
        DocumentVersion,
        [
            {"document_id": did, "number": 1, "stored_file_id": fid, "uploaded_by_id": d["created_by_id"]}
            for did, fid, d in zip(document_ids, files, documents)
        ],
    )
