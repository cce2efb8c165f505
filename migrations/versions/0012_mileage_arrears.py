"""mileage arrears: backdated rate changes worked out per carer and journey; HMRC's 2026-27 car rate

Cars and vans: 55p a mile for the first 10,000 business miles in the tax year, 25p after, from 6 April 2026
(announced 21 May 2026, backdated). A table still paying HMRC's 45p until further notice has that row ended on
5 April 2026 and the new row added; a council's own rate is left alone. `flask claims seed-rates` then works out,
once, what carers are owed for journeys since 6 April 2026 already paid at 45p, for business support to approve.

Revision ID: 0012
Revises: 0011
"""

from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NEW_FROM, OLD_TO = date(2026, 4, 6), date(2026, 4, 5)
SOURCE = (
    "HMRC approved mileage allowance payments (GOV.UK, 'Travel — mileage and fuel rates and allowances'), "
    "2026-27: announced 21 May 2026, backdated to 6 April 2026"
)
rates = sa.table(
    "mileage_rates",
    sa.column("id", sa.Integer),
    sa.column("vehicle", sa.String),
    sa.column("effective_from", sa.Date),
    sa.column("effective_to", sa.Date),
    sa.column("pence_per_mile", sa.Integer),
    sa.column("threshold_miles", sa.Integer),
    sa.column("pence_after_threshold", sa.Integer),
    sa.column("source", sa.String),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "mileage_rate_changes",
        sa.Column("rate_id", sa.Integer(), nullable=True),
        sa.Column("vehicle", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("is_increase", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total_pence", sa.Integer(), nullable=False),
        sa.Column("carer_count", sa.Integer(), nullable=False),
        sa.Column("unpaid_journeys", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_mileage_rate_changes_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_mileage_rate_changes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rate_id"],
            ["mileage_rates.id"],
            name=op.f("fk_mileage_rate_changes_rate_id_mileage_rates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mileage_rate_changes")),
    )
    with op.batch_alter_table("mileage_rate_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mileage_rate_changes_rate_id"), ["rate_id"], unique=False)

    op.create_table(
        "mileage_arrears",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("journeys", sa.Integer(), nullable=False),
        sa.Column("miles_tenths", sa.Integer(), nullable=False),
        sa.Column("paid_pence", sa.Integer(), nullable=False),
        sa.Column("due_pence", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["mileage_rate_changes.id"],
            name=op.f("fk_mileage_arrears_change_id_mileage_rate_changes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_mileage_arrears_claim_id_claims"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["claimant_id"], ["users.id"], name=op.f("fk_mileage_arrears_claimant_id_users")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_mileage_arrears_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mileage_arrears")),
        sa.UniqueConstraint("change_id", "claimant_id", name=op.f("uq_mileage_arrears_change_id")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_mileage_arrears_claim_id")),
    )
    with op.batch_alter_table("mileage_arrears", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mileage_arrears_change_id"), ["change_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mileage_arrears_claimant_id"), ["claimant_id"], unique=False)

    op.create_table(
        "mileage_arrears_journeys",
        sa.Column("arrears_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("paid_pence", sa.Integer(), nullable=False),
        sa.Column("due_pence", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrears_id"],
            ["mileage_arrears.id"],
            name=op.f("fk_mileage_arrears_journeys_arrears_id_mileage_arrears"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["claim_lines.id"],
            name=op.f("fk_mileage_arrears_journeys_line_id_claim_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mileage_arrears_journeys")),
    )
    with op.batch_alter_table("mileage_arrears_journeys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mileage_arrears_journeys_arrears_id"), ["arrears_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mileage_arrears_journeys_line_id"), ["line_id"], unique=False)

    _add_2026_27_car_rate()


def _add_2026_27_car_rate() -> None:
    """The same step as portal.claims.demo.add_hmrc_2026_27_car_rate, in SQL (a migration never imports the app)."""
    conn = op.get_bind()
    cars = conn.execute(
        sa.select(
            rates.c.id,
            rates.c.effective_from,
            rates.c.effective_to,
            rates.c.pence_per_mile,
            rates.c.threshold_miles,
            rates.c.pence_after_threshold,
        ).where(rates.c.vehicle == "car")
    ).all()
    old = [
        r
        for r in cars
        if (r.effective_to, r.pence_per_mile, r.threshold_miles, r.pence_after_threshold) == (None, 45, 10_000, 25)
    ]
    if len(old) != 1 or any(r.effective_from >= NEW_FROM for r in cars):
        return
    conn.execute(sa.update(rates).where(rates.c.id == old[0].id).values(effective_to=OLD_TO))
    conn.execute(
        sa.insert(rates).values(
            vehicle="car",
            effective_from=NEW_FROM,
            effective_to=None,
            pence_per_mile=55,
            threshold_miles=10_000,
            pence_after_threshold=25,
            source=SOURCE,
            updated_at=datetime.now(timezone.utc),
        )
    )


def downgrade() -> None:
    # The 2026-27 rate stays: journeys priced with it keep their amounts.
    op.drop_table("mileage_arrears_journeys")
    op.drop_table("mileage_arrears")
    op.drop_table("mileage_rate_changes")
