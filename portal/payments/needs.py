"""What needs business support about pay runs: adjustments a colleague made that wait for their approval."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source
from portal.payments.models import PayAdjustment, PayRun


def adjustment_needs(user, on: date) -> list[Need]:
    """One query: adjustments in draft runs waiting for a second person (never their own), and the oldest's run."""
    count, oldest, run_id = db.session.execute(
        select(func.count(PayAdjustment.id), func.min(PayAdjustment.created_at), func.min(PayAdjustment.run_id))
        .join(PayRun, PayRun.id == PayAdjustment.run_id)
        .where(
            PayRun.status == "draft",
            PayAdjustment.needs_approval.is_(True),
            PayAdjustment.approved_by_id.is_(None),
            PayAdjustment.created_by_id != user.id,
        )
    ).one()
    if not count:
        return []
    return [
        Need(
            kind="pay_adjustments_to_approve",
            text="Pay-run adjustments waiting for your approval",
            href=path_to("payments.show_pay_run", run_id=run_id),
            at=oldest or on,
            count=count,
            oldest=oldest,
        )
    ]


register_need_source([Role.BUSINESS_SUPPORT], adjustment_needs)
