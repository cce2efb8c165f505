"""notices as one model: kinds, a target, a dedupe key and a resolved state; preferences per kind and channel;
mobile numbers for text messages; web push subscriptions

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=40), nullable=False, server_default="general"))
        batch.add_column(sa.Column("target", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("dedupe_key", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_notifications_target", ["target"], unique=False)
        batch.create_unique_constraint("uq_notifications_user_id", ["user_id", "dedupe_key"])
    op.create_table(
        "notice_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("is_on", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_preferences")),
        sa.UniqueConstraint("user_id", "kind", "channel", name=op.f("uq_notice_preferences_user_id")),
    )
    op.create_index(op.f("ix_notice_preferences_user_id"), "notice_preferences", ["user_id"], unique=False)
    op.create_table(
        "notice_contacts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mobile_number", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_contacts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notice_contacts")),
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_push_subscriptions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    op.create_index(op.f("ix_push_subscriptions_user_id"), "push_subscriptions", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("push_subscriptions")
    op.drop_table("notice_contacts")
    op.drop_table("notice_preferences")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("uq_notifications_user_id", type_="unique")
        batch.drop_index("ix_notifications_target")
        for column in ("resolved_at", "dedupe_key", "target", "kind"):
            batch.drop_column(column)
