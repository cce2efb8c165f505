"""log entries newest first by household and by child: a caseload's or a household's list is read from an index in
the list's order (taking over from the indexes on household_id and child_id alone, which lead these)

Revision ID: 0024
Revises: 0023
"""

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

COLUMNS = ["addendum_to_id", "entry_date", "created_at"]


def upgrade() -> None:
    # Plain CREATE/DROP INDEX, not a batch: on SQLite a batch may copy the table and lose what later migrations add.
    op.create_index("ix_log_entries_household_newest", "log_entries", ["household_id", *COLUMNS])
    op.create_index("ix_log_entries_child_newest", "log_entries", ["child_id", *COLUMNS])
    op.drop_index("ix_log_entries_household_id", table_name="log_entries")
    op.drop_index("ix_log_entries_child_id", table_name="log_entries")


def downgrade() -> None:
    op.create_index("ix_log_entries_child_id", "log_entries", ["child_id"])
    op.create_index("ix_log_entries_household_id", "log_entries", ["household_id"])
    op.drop_index("ix_log_entries_child_newest", table_name="log_entries")
    op.drop_index("ix_log_entries_household_newest", table_name="log_entries")
