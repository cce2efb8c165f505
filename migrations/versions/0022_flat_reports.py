"""pages at scale: households found by status and approval date (the TSD deadline follows from it), and an SSW's
caseload by the same (taking over from the index on ssw_id alone); households in name order for the type-ahead;
on SQLite, a trigram index of children's names for the type-ahead (PostgreSQL has its trigram indexes: 0020)

Revision ID: 0022
Revises: 0021
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# SQLite's FTS5 trigram tokenizer (SQLite 3.34+) over the columns the children's type-ahead matches anywhere inside
# (portal.people.lookups): it finds the few children a search names instead of reading every child's names. An
# external-content table kept by triggers; named `ix_trgm_*` like 0020's indexes, being derived DDL with no model
# (tests/meta/test_migrations.py leaves such names out).
CHILDREN_TRIGRAMS = "ix_trgm_children_names"
_COLUMNS = "first_name, last_name, preferred_name, case_reference"
_NEW = "new.id, new.first_name, new.last_name, new.preferred_name, new.case_reference"
_OLD = "'delete', old.id, old.first_name, old.last_name, old.preferred_name, old.case_reference"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {CHILDREN_TRIGRAMS} USING fts5({_COLUMNS}, content='children', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {CHILDREN_TRIGRAMS}_ai AFTER INSERT ON children BEGIN "
    f"INSERT INTO {CHILDREN_TRIGRAMS}(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    f"CREATE TRIGGER {CHILDREN_TRIGRAMS}_ad AFTER DELETE ON children BEGIN "
    f"INSERT INTO {CHILDREN_TRIGRAMS}({CHILDREN_TRIGRAMS}, rowid, {_COLUMNS}) VALUES ({_OLD}); END",
    f"CREATE TRIGGER {CHILDREN_TRIGRAMS}_au AFTER UPDATE OF {_COLUMNS} ON children BEGIN "
    f"INSERT INTO {CHILDREN_TRIGRAMS}({CHILDREN_TRIGRAMS}, rowid, {_COLUMNS}) VALUES ({_OLD}); "
    f"INSERT INTO {CHILDREN_TRIGRAMS}(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    f"INSERT INTO {CHILDREN_TRIGRAMS}({CHILDREN_TRIGRAMS}) VALUES ('rebuild')",
)


def upgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.create_index("ix_households_status_approval_date", ["status", "approval_date"])
        batch.create_index("ix_households_ssw_status_approval_date", ["ssw_id", "status", "approval_date"])
        batch.create_index("ix_households_name", ["name", "id"])
        batch.drop_index("ix_households_ssw_id")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DDL:
            bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for suffix in ("_au", "_ad", "_ai"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {CHILDREN_TRIGRAMS}{suffix}")
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {CHILDREN_TRIGRAMS}")
    with op.batch_alter_table("households") as batch:
        batch.create_index("ix_households_ssw_id", ["ssw_id"])
        batch.drop_index("ix_households_name")
        batch.drop_index("ix_households_ssw_status_approval_date")
        batch.drop_index("ix_households_status_approval_date")
