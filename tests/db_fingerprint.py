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
    """{table name: a hash of its rows in primary-key order}, read on a connection of its own. PostgreSQL hashes
    every table itself in one statement (one round trip, not one a table, for each row of the matrix)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            return _hashed_by_postgresql(conn)
        found = {}
        for table, columns in _tables():
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            found[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return found


def _tables():
    for table in metadata.sorted_tables:
        if table.name not in LEFT_OUT_TABLES:
            skipped = LEFT_OUT_COLUMNS.get(table.name, set())
            yield table, [c for c in table.columns if c.name not in skipped]


def _hashed_by_postgresql(conn) -> dict[str, str]:
    quote = conn.dialect.identifier_preparer.quote
    parts = []
    for table, columns in _tables():
        row = ", ".join(quote(c.name) for c in columns)
        order = ", ".join(quote(c.name) for c in table.primary_key.columns)
        parts.append(
            f"SELECT '{table.name}' AS name, md5(coalesce(string_agg(CAST(ROW({row}) AS text), '|' ORDER BY {order}),"
            f" '')) AS hash FROM {quote(table.name)}"
        )
    return dict(conn.exec_driver_sql(" UNION ALL ".join(parts)).all())


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])
