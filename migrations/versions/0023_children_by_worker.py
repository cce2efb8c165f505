"""a child's social worker's children in name order: their home page reads a page of them in index order instead of
sorting every child allocated to them (taking over from the index on social_worker_id alone)

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX, not a batch: on SQLite a batch may copy the table, which would drop the triggers that
    # keep 0022's trigram table of children's names.
    op.create_index("ix_children_social_worker_name", "children", ["social_worker_id", "first_name", "last_name", "id"])
    op.drop_index("ix_children_social_worker_id", table_name="children")


def downgrade() -> None:
    op.create_index("ix_children_social_worker_id", "children", ["social_worker_id"])
    op.drop_index("ix_children_social_worker_name", table_name="children")
