"""A database's rows and some test clients' cookies, taken once and put back as often as needed: the authorization
matrix comes back to its world this way after a row changed it (a few statements, instead of a new world and a
dozen sign-ins through the real pages)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, select

from portal.core.db import db
from portal.models import metadata
from tests.conftest import _empty_tables
from tests.db_fingerprint import LEFT_OUT_TABLES  # the audit trail: emptied, not put back (nothing reads it back)


@dataclass
class Snapshot:
    rows: dict[str, list[dict]]
    cookies: dict[object, dict]

    @classmethod
    def take(cls, clients: dict, *, left_out: frozenset[str] | set[str] = LEFT_OUT_TABLES) -> Snapshot:
        """Every table's rows (as committed) but those `left_out`, and a copy of each client's cookie jar, keyed as
        `clients` is."""
        with db.engine.connect() as conn:
            rows = {
                t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables
                if t.name not in left_out
            }
        return cls(rows, {key: dict(client._cookies) for key, client in clients.items()})

    def restore(self, clients: dict) -> None:
        """Empty every table, insert the rows taken (parents first), and give each client its cookies back. Objects
        in the session are expired, so they read the rows put back."""
        db.session.rollback()
        _empty_tables()
        with db.engine.begin() as conn:
            for table in metadata.sorted_tables:
                if self.rows.get(table.name):
                    conn.execute(table.insert(), self.rows[table.name])
            if conn.dialect.name == "postgresql":  # ids go on from the rows put back, not from 1
                conn.exec_driver_sql(" UNION ALL ".join(_sequence_resets()))
        for key, client in clients.items():
            client._cookies = dict(self.cookies[key])


def _sequence_resets() -> list[str]:
    resets = []
    for table in metadata.sorted_tables:
        [*keys] = table.primary_key.columns
        if len(keys) == 1 and isinstance(keys[0].type, Integer):
            name, column = table.name, keys[0].name
            resets.append(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', '{column}'),"
                f' coalesce((SELECT max("{column}") FROM "{name}"), 0) + 1, false)'
            )
    return resets
