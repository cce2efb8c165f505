"""mentoring: mentees, mentor profiles, locality neighbours, matches and their history, conversations, message
reports, logged contacts and the mentoring pay model

A mentee has at most one live match (proposed, accepted, introduced or active): a partial unique index, so two
coordinators matching the same person at the same moment end with one match.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentoring_pay_models",
        sa.Column("model", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_pay_models")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_mentoring_pay_models_effective_from")),
    )
    op.create_table(
        "mentoring_locality_neighbours",
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.Column("neighbour_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_mentoring_locality_neighbours_locality_id_localities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_id"],
            ["localities.id"],
            name=op.f("fk_mentoring_locality_neighbours_neighbour_id_localities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_locality_neighbours")),
        sa.UniqueConstraint("locality_id", "neighbour_id", name=op.f("uq_mentoring_locality_neighbours_locality_id")),
    )
    with op.batch_alter_table("mentoring_locality_neighbours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_locality_neighbours_locality_id"), ["locality_id"], unique=False)

    op.create_table(
        "mentoring_mentor_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("years_fostering", sa.Integer(), nullable=False),
        sa.Column("fostering_types", sa.String(length=300), nullable=False),
        sa.Column("age_groups", sa.String(length=100), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("availability", sa.String(length=100), nullable=False),
        sa.Column("ways", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("training_completed_on", sa.Date(), nullable=True),
        sa.Column("taking_mentees", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_mentoring_mentor_profiles_locality_id_localities")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentoring_mentor_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_mentor_profiles")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentoring_mentor_profiles_user_id")),
    )
    with op.batch_alter_table("mentoring_mentor_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_mentor_profiles_locality_id"), ["locality_id"], unique=False)

    op.create_table(
        "mentoring_mentees",
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("assessing_worker", sa.String(length=200), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.Column("fostering_type", sa.String(length=30), nullable=False),
        sa.Column("age_groups", sa.String(length=100), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("availability", sa.String(length=100), nullable=False),
        sa.Column("ways", sa.String(length=100), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=True),
        sa.Column("offered_how", sa.String(length=20), nullable=True),
        sa.Column("response", sa.String(length=20), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("offer_reminded_on", sa.Date(), nullable=True),
        sa.Column("withdrew_on", sa.Date(), nullable=True),
        sa.Column("withdrew_at_step", sa.String(length=20), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("temporary_until", sa.Date(), nullable=True),
        sa.Column("temporary_extended_until", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_mentoring_mentees_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_mentoring_mentees_household_id_households"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_mentoring_mentees_invitation_id_invitations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_mentoring_mentees_locality_id_localities")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentoring_mentees_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_mentees")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentoring_mentees_user_id")),
    )
    with op.batch_alter_table("mentoring_mentees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_mentees_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_mentees_locality_id"), ["locality_id"], unique=False)

    op.create_table(
        "mentoring_matches",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("respond_by", sa.Date(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("introduced_on", sa.Date(), nullable=True),
        sa.Column("first_contact_on", sa.Date(), nullable=True),
        sa.Column("first_contact_reminded_on", sa.Date(), nullable=True),
        sa.Column("agreement_meeting_on", sa.Date(), nullable=True),
        sa.Column("agreement_meeting_held", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.Column("mentee_feedback", sa.Text(), nullable=True),
        sa.Column("mentor_feedback", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentoring_mentees.id"],
            name=op.f("fk_mentoring_matches_mentee_id_mentoring_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_user_id"],
            ["users.id"],
            name=op.f("fk_mentoring_matches_mentee_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_mentoring_matches_mentor_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_matches_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_matches")),
    )
    with op.batch_alter_table("mentoring_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_matches_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_matches_mentee_user_id"), ["mentee_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_matches_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_matches_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_mentoring_matches_one_live_per_mentee",
            ["mentee_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
            postgresql_where=sa.text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
        )

    op.create_table(
        "mentoring_contacts",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("topics", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_contacts_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_mentoring_contacts_mentor_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_contacts")),
    )
    with op.batch_alter_table("mentoring_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_contacts_contact_on"), ["contact_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_contacts_match_id"), ["match_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_contacts_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "mentoring_match_events",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_mentoring_match_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_match_events_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_match_events")),
    )
    with op.batch_alter_table("mentoring_match_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_match_events_match_id"), ["match_id"], unique=False)

    op.create_table(
        "mentoring_messages",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_mentoring_messages_file_id_stored_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_messages_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_mentoring_messages_sender_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_messages")),
    )
    with op.batch_alter_table("mentoring_messages", schema=None) as batch_op:
        batch_op.create_index("ix_mentoring_messages_match_id_id", ["match_id", "id"], unique=False)

    op.create_table(
        "mentoring_read_marks",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name=op.f("fk_mentoring_read_marks_match_id_mentoring_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentoring_read_marks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_read_marks")),
        sa.UniqueConstraint("match_id", "user_id", name=op.f("uq_mentoring_read_marks_match_id")),
    )
    with op.batch_alter_table("mentoring_read_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_read_marks_user_id"), ["user_id"], unique=False)

    op.create_table(
        "mentoring_message_reports",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["mentoring_messages.id"],
            name=op.f("fk_mentoring_message_reports_message_id_mentoring_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_message_reports_reported_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_message_reports_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_message_reports")),
        sa.UniqueConstraint("message_id", "reported_by_id", name=op.f("uq_mentoring_message_reports_message_id")),
    )
    with op.batch_alter_table("mentoring_message_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_message_reports_message_id"), ["message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentoring_message_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_message_reports_message_id"))

    op.drop_table("mentoring_message_reports")
    with op.batch_alter_table("mentoring_read_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_read_marks_user_id"))

    op.drop_table("mentoring_read_marks")
    with op.batch_alter_table("mentoring_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_mentoring_messages_match_id_id")

    op.drop_table("mentoring_messages")
    with op.batch_alter_table("mentoring_match_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_match_events_match_id"))

    op.drop_table("mentoring_match_events")
    with op.batch_alter_table("mentoring_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_contacts_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_contacts_match_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_contacts_contact_on"))

    op.drop_table("mentoring_contacts")
    with op.batch_alter_table("mentoring_matches", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentoring_matches_one_live_per_mentee",
            sqlite_where=sa.text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
            postgresql_where=sa.text("status IN ('proposed', 'accepted', 'introduced', 'active')"),
        )
        batch_op.drop_index(batch_op.f("ix_mentoring_matches_status"))
        batch_op.drop_index(batch_op.f("ix_mentoring_matches_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_matches_mentee_user_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_matches_mentee_id"))

    op.drop_table("mentoring_matches")
    with op.batch_alter_table("mentoring_mentees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_mentees_locality_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_mentees_email"))

    op.drop_table("mentoring_mentees")
    with op.batch_alter_table("mentoring_mentor_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_mentor_profiles_locality_id"))

    op.drop_table("mentoring_mentor_profiles")
    with op.batch_alter_table("mentoring_locality_neighbours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_locality_neighbours_locality_id"))

    op.drop_table("mentoring_locality_neighbours")
    op.drop_table("mentoring_pay_models")
