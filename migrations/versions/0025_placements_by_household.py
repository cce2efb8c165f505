"""placements by household with their dates and child: a supervising social worker's children now are found from
their households' index entries alone (taking over from the index on household_id, which leads this one)

Revision ID: 0025
Revises: 0024
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX, not a batch: on SQLite a batch may copy the table and lose what later migrations add.
    op.create_index(
        "ix_placements_household_dates", "placements", ["household_id", "start_date", "end_date", "child_id"]
    )
    op.drop_index("ix_placements_household_id", table_name="placements")


def downgrade() -> None:
    op.create_index("ix_placements_household_id", "placements", ["household_id"])
    op.drop_index("ix_placements_household_dates", table_name="placements")
