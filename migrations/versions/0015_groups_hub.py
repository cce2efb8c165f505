"""groups and the information hub: support groups with recurring meetings, breaks, moves and cancellations;
school holidays for term-time groups; followers, replies, announcements, introductions and calendar feeds; hub
pages, team contacts, staff contact details, newsletters; and the search index (SQLite FTS5 or PostgreSQL
full-text search).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

# The search index's DDL, as in portal.core.search (copied: a migration never imports the app).
SQLITE_INDEX_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entries_fts USING fts5(title, body, content='search_entries', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
POSTGRES_INDEX_DDL = (
    "ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_entries_document ON search_entries USING gin (search_document)",
)

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_team_contacts",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_team_contacts")),
    )
    op.create_table(
        "school_holidays",
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_holidays")),
    )
    with op.batch_alter_table("school_holidays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_holidays_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "search_entries",
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("href", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("source", "key", name=op.f("uq_search_entries_source")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index("ix_search_entries_source", ["source"], unique=False)

    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_feeds_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_introduction_consents",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_introduction_consents_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_group_introduction_consents")),
    )
    op.create_table(
        "hub_pages",
        sa.Column("section", sa.String(length=30), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("live_sections", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("last_reviewed_on", sa.Date(), nullable=False),
        sa.Column("review_due_on", sa.Date(), nullable=False),
        sa.Column("review_reminded_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_hub_pages_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_pages")),
        sa.UniqueConstraint("slug", name=op.f("uq_hub_pages_slug")),
    )
    with op.batch_alter_table("hub_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_pages_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hub_pages_review_due_on"), ["review_due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_hub_pages_section"), ["section"], unique=False)

    op.create_table(
        "hub_staff_contact_details",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("job_title", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hub_staff_contact_details_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_hub_staff_contact_details")),
    )
    op.create_table(
        "support_groups",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("audience", sa.String(length=30), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("venue_name", sa.String(length=200), nullable=False),
        sa.Column("venue_address", sa.String(length=400), nullable=False),
        sa.Column("access_notes", sa.String(length=600), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("rrule", sa.String(length=300), nullable=False),
        sa.Column("first_meeting", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("term_time_only", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_support_groups_locality_id_localities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_groups")),
    )
    with op.batch_alter_table("support_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_groups_audience"), ["audience"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_groups_locality_id"), ["locality_id"], unique=False)

    op.create_table(
        "group_announcements",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_group_announcements_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_announcements_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_announcements")),
    )
    with op.batch_alter_table("group_announcements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_announcements_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_announcements_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_breaks",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("every_year", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_breaks_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_breaks")),
    )
    with op.batch_alter_table("group_breaks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_breaks_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_coordinators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_coordinators_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_coordinators_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_coordinators")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_group_coordinators_group_id")),
    )
    with op.batch_alter_table("group_coordinators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_coordinators_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_coordinators_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_followers_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_followers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_followers")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_group_followers_group_id")),
    )
    with op.batch_alter_table("group_followers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_followers_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_followers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_meeting_changes",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("original_date", sa.Date(), nullable=False),
        sa.Column("is_cancelled", sa.Boolean(), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=True),
        sa.Column("new_starts_at", sa.Time(), nullable=True),
        sa.Column("new_ends_at", sa.Time(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_meeting_changes_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_meeting_changes")),
        sa.UniqueConstraint("group_id", "original_date", name=op.f("uq_group_meeting_changes_group_id")),
    )
    with op.batch_alter_table("group_meeting_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_meeting_changes_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_meeting_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_meeting_replies_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_meeting_replies_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_meeting_replies")),
        sa.UniqueConstraint("group_id", "meeting_date", "user_id", name=op.f("uq_group_meeting_replies_group_id")),
    )
    with op.batch_alter_table("group_meeting_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_meeting_replies_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_meeting_replies_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_welcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("carer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["carer_id"], ["users.id"], name=op.f("fk_group_welcomes_carer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["support_groups.id"],
            name=op.f("fk_group_welcomes_group_id_support_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_welcomes")),
        sa.UniqueConstraint("group_id", "carer_id", name=op.f("uq_group_welcomes_group_id")),
    )
    with op.batch_alter_table("group_welcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_welcomes_carer_id"), ["carer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_welcomes_group_id"), ["group_id"], unique=False)

    op.create_table(
        "hub_newsletters",
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.String(length=600), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["stored_files.id"], name=op.f("fk_hub_newsletters_file_id_stored_files")),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_hub_newsletters_uploaded_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_newsletters")),
        sa.UniqueConstraint("file_id", name=op.f("uq_hub_newsletters_file_id")),
    )
    with op.batch_alter_table("hub_newsletters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_newsletters_issue_date"), ["issue_date"], unique=False)

    ddl = POSTGRES_INDEX_DDL if op.get_bind().dialect.name == "postgresql" else SQLITE_INDEX_DDL
    for statement in ddl:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_entries_document")
        op.execute("ALTER TABLE search_entries DROP COLUMN IF EXISTS search_document")
    else:
        for trigger in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_entries_fts")
    with op.batch_alter_table("hub_newsletters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_newsletters_issue_date"))

    op.drop_table("hub_newsletters")
    with op.batch_alter_table("group_welcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_welcomes_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_welcomes_carer_id"))

    op.drop_table("group_welcomes")
    with op.batch_alter_table("group_meeting_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_meeting_replies_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_meeting_replies_group_id"))

    op.drop_table("group_meeting_replies")
    with op.batch_alter_table("group_meeting_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_meeting_changes_group_id"))

    op.drop_table("group_meeting_changes")
    with op.batch_alter_table("group_followers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_followers_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_followers_group_id"))

    op.drop_table("group_followers")
    with op.batch_alter_table("group_coordinators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_coordinators_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_coordinators_group_id"))

    op.drop_table("group_coordinators")
    with op.batch_alter_table("group_breaks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_breaks_group_id"))

    op.drop_table("group_breaks")
    with op.batch_alter_table("group_announcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_announcements_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_announcements_created_at"))

    op.drop_table("group_announcements")
    with op.batch_alter_table("support_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_groups_locality_id"))
        batch_op.drop_index(batch_op.f("ix_support_groups_audience"))

    op.drop_table("support_groups")
    op.drop_table("hub_staff_contact_details")
    with op.batch_alter_table("hub_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_pages_section"))
        batch_op.drop_index(batch_op.f("ix_hub_pages_review_due_on"))
        batch_op.drop_index(batch_op.f("ix_hub_pages_owner_id"))

    op.drop_table("hub_pages")
    op.drop_table("group_introduction_consents")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_user_id"))

    op.drop_table("calendar_feeds")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entries_source")

    op.drop_table("search_entries")
    with op.batch_alter_table("school_holidays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_holidays_starts_on"))

    op.drop_table("school_holidays")
    op.drop_table("hub_team_contacts")
