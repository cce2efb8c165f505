"""pages at scale: trigram indexes for the type-ahead name searches on PostgreSQL; log entries listed newest first
from an index, and the addendum index kept to addenda

Revision ID: 0020
Revises: 0019
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# The columns a type-ahead matches anywhere inside (ILIKE '%text%', portal.people.lookups): a B-tree cannot serve a
# match in the middle of a value, a trigram GIN index can. PostgreSQL only, and only where pg_trgm may be created;
# SQLite (and a server without the extension) scans, which the lookups bound to a few results. Named `ix_trgm_*`:
# derived DDL with no model to compare with (tests/meta/test_migrations.py leaves them out).
TRIGRAM_COLUMNS = {
    "households": ("name", "reference"),
    "children": ("first_name", "last_name", "preferred_name", "case_reference"),
    "users": ("full_name", "email"),
}


def _trigram_indexes():
    for table, columns in TRIGRAM_COLUMNS.items():
        for column in columns:
            yield f"ix_trgm_{table}_{column}", table, column


def upgrade() -> None:
    with op.batch_alter_table("log_entries") as batch:
        batch.drop_index("ix_log_entries_addendum_to_id")
        batch.create_index(
            "ix_log_entries_addendum_to_id",
            ["addendum_to_id"],
            sqlite_where=sa.text("addendum_to_id IS NOT NULL"),
            postgresql_where=sa.text("addendum_to_id IS NOT NULL"),
        )
        batch.create_index(
            "ix_log_entries_newest",
            ["entry_date", "created_at"],
            sqlite_where=sa.text("addendum_to_id IS NULL"),
            postgresql_where=sa.text("addendum_to_id IS NULL"),
        )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():  # a failed CREATE EXTENSION must not abort the migration's transaction
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # noqa: BLE001  (no permission, or not installed: the lookups still work, by scanning)
            log.warning("pg_trgm is not available (%s): type-ahead searches will scan", exc.__class__.__name__)
        else:
            for name, table, column in _trigram_indexes():
                bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name, _table, _column in _trigram_indexes():
            bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("log_entries") as batch:
        batch.drop_index("ix_log_entries_newest")
        batch.drop_index("ix_log_entries_addendum_to_id")
        batch.create_index("ix_log_entries_addendum_to_id", ["addendum_to_id"])
