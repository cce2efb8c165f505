"""training: courses, sessions and their parts, bookings and waiting lists, evaluations, learning records,
certificates and TSD sign-offs

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_courses",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("tsd_standards", sa.String(length=40), nullable=False),
        sa.Column("mandatory_for", sa.String(length=300), nullable=False),
        sa.Column("expiry_months", sa.Integer(), nullable=True),
        sa.Column("elearning_url", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
    )
    with op.batch_alter_table("training_courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_courses_topic"), ["topic"], unique=False)

    op.create_table(
        "training_sessions",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("venue_name", sa.String(length=200), nullable=False),
        sa.Column("venue_address", sa.String(length=500), nullable=False),
        sa.Column("access_notes", sa.Text(), nullable=False),
        sa.Column("joining_link", sa.String(length=500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked_count", sa.Integer(), nullable=False),
        sa.Column("waiting_seq", sa.Integer(), nullable=False),
        sa.Column("trainer_name", sa.String(length=200), nullable=False),
        sa.Column("booking_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "booked_count >= 0 AND booked_count <= capacity", name=op.f("ck_training_sessions_places_within_capacity")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["training_courses.id"], name=op.f("fk_training_sessions_course_id_training_courses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_sessions_course_id"), ["course_id"], unique=False)
        batch_op.create_index("ix_training_sessions_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "training_bookings",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("booked_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("waiting_rank", sa.Integer(), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes_credited", sa.Integer(), nullable=True),
        sa.Column("attendance_marked_by_id", sa.Integer(), nullable=True),
        sa.Column("attendance_marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_week_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_day_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_marked_by_id"], ["users.id"], name=op.f("fk_training_bookings_attendance_marked_by_id_users")
        ),
        sa.ForeignKeyConstraint(["booked_by_id"], ["users.id"], name=op.f("fk_training_bookings_booked_by_id_users")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_training_bookings_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["training_sessions.id"], name=op.f("fk_training_bookings_session_id_training_sessions")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_training_bookings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_bookings")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_training_bookings_session_id")),
    )
    with op.batch_alter_table("training_bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_bookings_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_training_bookings_session_status", ["session_id", "status"], unique=False)
        batch_op.create_index("ix_training_bookings_user_status", ["user_id", "status"], unique=False)

    op.create_table(
        "training_session_parts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_training_session_parts_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session_parts")),
    )
    with op.batch_alter_table("training_session_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_session_parts_session_id"), ["session_id"], unique=False)

    op.create_table(
        "training_tsd_sign_offs",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_training_tsd_sign_offs_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"], ["users.id"], name=op.f("fk_training_tsd_sign_offs_signed_off_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_tsd_sign_offs")),
        sa.UniqueConstraint("household_id", "standard", name=op.f("uq_training_tsd_sign_offs_household_id")),
    )
    with op.batch_alter_table("training_tsd_sign_offs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_tsd_sign_offs_household_id"), ["household_id"], unique=False)

    op.create_table(
        "training_evaluations",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("confidence_before", sa.Integer(), nullable=False),
        sa.Column("confidence_after", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("confidence_after BETWEEN 1 AND 5", name=op.f("ck_training_evaluations_after_1_to_5")),
        sa.CheckConstraint("confidence_before BETWEEN 1 AND 5", name=op.f("ck_training_evaluations_before_1_to_5")),
        sa.CheckConstraint("usefulness BETWEEN 1 AND 5", name=op.f("ck_training_evaluations_usefulness_1_to_5")),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["training_bookings.id"], name=op.f("fk_training_evaluations_booking_id_training_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["training_sessions.id"], name=op.f("fk_training_evaluations_session_id_training_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_evaluations")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_training_evaluations_booking_id")),
    )
    with op.batch_alter_table("training_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_evaluations_session_id"), ["session_id"], unique=False)

    op.create_table(
        "training_records",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("certificate_reference", sa.String(length=100), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["training_bookings.id"], name=op.f("fk_training_records_booking_id_training_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["training_courses.id"], name=op.f("fk_training_records_course_id_training_courses")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_training_records_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_training_records_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_training_records_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_records")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_training_records_booking_id")),
    )
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_records_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_records_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_training_records_user_completed", ["user_id", "completed_on"], unique=False)

    op.create_table(
        "training_certificates",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("household_document_id", sa.Integer(), nullable=True),
        sa.Column("is_generated", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("tsd_standard", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_training_certificates_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["household_document_id"],
            ["household_documents.id"],
            name=op.f("fk_training_certificates_household_document_id_household_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_training_certificates_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["training_records.id"], name=op.f("fk_training_certificates_record_id_training_records")
        ),
        sa.ForeignKeyConstraint(
            ["stored_file_id"], ["stored_files.id"], name=op.f("fk_training_certificates_stored_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_training_certificates_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_certificates")),
        sa.UniqueConstraint("record_id", name=op.f("uq_training_certificates_record_id")),
        sa.UniqueConstraint("stored_file_id", name=op.f("uq_training_certificates_stored_file_id")),
    )
    with op.batch_alter_table("training_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_certificates_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_training_certificates_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_certificates_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("training_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_certificates_user_id"))
        batch_op.drop_index("ix_training_certificates_status")
        batch_op.drop_index(batch_op.f("ix_training_certificates_household_id"))

    op.drop_table("training_certificates")
    with op.batch_alter_table("training_records", schema=None) as batch_op:
        batch_op.drop_index("ix_training_records_user_completed")
        batch_op.drop_index(batch_op.f("ix_training_records_household_id"))
        batch_op.drop_index(batch_op.f("ix_training_records_course_id"))

    op.drop_table("training_records")
    with op.batch_alter_table("training_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_evaluations_session_id"))

    op.drop_table("training_evaluations")
    with op.batch_alter_table("training_tsd_sign_offs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_tsd_sign_offs_household_id"))

    op.drop_table("training_tsd_sign_offs")
    with op.batch_alter_table("training_session_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_session_parts_session_id"))

    op.drop_table("training_session_parts")
    with op.batch_alter_table("training_bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_training_bookings_user_status")
        batch_op.drop_index("ix_training_bookings_session_status")
        batch_op.drop_index(batch_op.f("ix_training_bookings_household_id"))

    op.drop_table("training_bookings")
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_sessions_starts_at")
        batch_op.drop_index(batch_op.f("ix_training_sessions_course_id"))

    op.drop_table("training_sessions")
    with op.batch_alter_table("training_courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_courses_topic"))

    op.drop_table("training_courses")
