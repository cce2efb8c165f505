"""The payments blueprint: carers (routes/carer.py), business support (routes/staff.py), admins (routes/admin.py)."""

from datetime import date

import click
from flask import Blueprint

bp = Blueprint("payments", __name__)

from portal.payments.routes import admin, carer, staff  # noqa: E402,F401  (routes attach themselves to bp)


@click.command("seed-payment-rates")
@click.option("--region", type=click.Choice(["london", "south_east", "rest_of_england"]), default="rest_of_england")
@click.option("--first-period-start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def seed_payment_rates_command(region: str, first_period_start):
    """Add the NMA 2024-25 and 2025-26 tables, QCR figures and default extras (does nothing when rates exist)."""
    from portal.core.db import db
    from portal.payments.defaults import seed_payment_rates

    start: date | None = first_period_start.date() if first_period_start else None
    added = seed_payment_rates(region, start)
    db.session.commit()
    click.echo(f"Payment rates: {added} rows added." if added else "Payment rates already present.")


def register(app) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(seed_payment_rates_command)
