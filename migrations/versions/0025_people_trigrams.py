"""on SQLite, trigram indexes of users' names and emails and of households' names and references, for the searches
that match them anywhere inside (the admin's list of users, the claims queue's carer and household filters, the
type-ahead); PostgreSQL has its trigram indexes of the same columns (0020)

Revision ID: 0025
Revises: 0024
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# Like 0022's children's table: FTS5 trigram tables (SQLite 3.34+) with external content, kept by triggers, named
# `ix_trgm_*` (derived DDL with no model: tests/meta/test_migrations.py leaves such names out). A table's rowid is the
# user's or household's id.
TRIGRAMS = {
    "ix_trgm_users_names": ("users", ("full_name", "email")),
    "ix_trgm_households_names": ("households", ("name", "reference")),
}


def _ddl(name: str, table: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    listed = ", ".join(columns)
    new = ", ".join(["new.id", *(f"new.{c}" for c in columns)])
    old = ", ".join(["'delete'", "old.id", *(f"old.{c}" for c in columns)])
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {name}(rowid, {listed}) VALUES ({new}); END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ({old}); END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {listed} ON {table} BEGIN "
        f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ({old}); "
        f"INSERT INTO {name}(rowid, {listed}) VALUES ({new}); END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name, (table, columns) in TRIGRAMS.items():
            for statement in _ddl(name, table, columns):
                bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in TRIGRAMS:
            for suffix in ("_au", "_ad", "_ai"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{suffix}")
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
