"""leases on uploads being processed, so the scheduler's sweep can queue again the work a killed worker lost

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stored_files") as batch:
        batch.add_column(sa.Column("leased_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stored_files") as batch:
        batch.drop_column("lease_expires_at")
        batch.drop_column("leased_by")
