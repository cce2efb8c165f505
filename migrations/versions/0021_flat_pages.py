"""pages flat as the service grows: approved claims waiting for a payment batch read oldest decision first from an
index (the batch form's pages), not sorted from every approved claim

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Partial (claims in no batch): PostgreSQL does not read the columns after one matched by IS NULL in order.
    op.create_index(
        "ix_claims_waiting",
        "claims",
        ["status", "decided_at", "id"],
        sqlite_where=sa.text("batch_id IS NULL"),
        postgresql_where=sa.text("batch_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_claims_waiting", table_name="claims")
