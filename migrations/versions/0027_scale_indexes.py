"""claims by household, status and age (a carer's newest queried claims read from the index alone), and placements
by end and start (the placements running now, without reading past ones)

Revision ID: 0027
Revises: 0026
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claims_household_status_created", "claims", ["household_id", "status", "created_at"])
    op.create_index("ix_placements_current", "placements", ["end_date", "start_date"])


def downgrade() -> None:
    op.drop_index("ix_placements_current", table_name="placements")
    op.drop_index("ix_claims_household_status_created", table_name="claims")
