"""memory-box lists: children in name order, and the children placed now in a set of households read from the
placements index alone (taking over from the index on household_id alone)

Revision ID: 0026
Revises: 0025
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX, not a batch: on SQLite a batch may copy the table, which would drop the triggers that
    # keep 0022's trigram table of children's names.
    op.create_index("ix_children_name", "children", ["first_name", "last_name", "id"])
    op.create_index(
        "ix_placements_household_dates", "placements", ["household_id", "start_date", "end_date", "child_id"]
    )
    op.drop_index("ix_placements_household_id", table_name="placements")


def downgrade() -> None:
    op.create_index("ix_placements_household_id", "placements", ["household_id"])
    op.drop_index("ix_placements_household_dates", table_name="placements")
    op.drop_index("ix_children_name", table_name="children")
