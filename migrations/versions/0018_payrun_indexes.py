"""pay runs at scale: run totals beyond £21 million, and indexes for the look-ups each slice of households makes

Revision ID: 0018
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A fortnight for 50,000 households is about £49 million: more pence than a 32-bit integer holds.
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.alter_column("total_pence", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)
        batch_op.alter_column("held_pence", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("pay_lines", schema=None) as batch_op:
        # Extras already paid to a slice's children, and whether a held adjustment was paid since (by line key).
        batch_op.create_index("ix_pay_lines_child_kind", ["child_id", "kind"], unique=False)
        batch_op.create_index("ix_pay_lines_key", ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pay_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_pay_lines_key")
        batch_op.drop_index("ix_pay_lines_child_kind")
    with op.batch_alter_table("pay_runs", schema=None) as batch_op:
        batch_op.alter_column("held_pence", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
        batch_op.alter_column("total_pence", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
