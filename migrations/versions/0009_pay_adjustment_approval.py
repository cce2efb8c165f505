"""pay-run adjustments above a set amount wait for a second person's approval

Revision ID: 0009
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pay_adjustments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_approval", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_pay_adjustments_approved_by_id_users"), "users", ["approved_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pay_adjustments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pay_adjustments_approved_by_id_users"), type_="foreignkey")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("needs_approval")
