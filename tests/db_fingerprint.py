"""What is in the database, table by table, as hashes: to check that a request changed nothing.

The audit trail (refusals are audited on purpose) and the once-a-minute touch of a session record are left out:
they are the only writes a read may make.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from portal.core.db import db
from portal.models import metadata

LEFT_OUT_TABLES = {"audit_events"}
LEFT_OUT_COLUMNS = {"user_sessions": {"last_seen_at"}}


def table_fingerprints() -> dict[str, str]:
    """{table name: sha256 of its rows in primary-key order}, read on a connection of its own."""
    found = {}
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in LEFT_OUT_TABLES:
                continue
            skipped = LEFT_OUT_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skipped]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            found[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return found


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])
