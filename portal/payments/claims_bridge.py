"""Where pay runs meet claims: approved claims waiting to be paid, as the engine's ClaimDue lines.

Claims are paid through a claims payment batch made for the pay run (portal.claims.batches), so a claim is in one
batch only, whichever way it is paid, and its page says when it was paid.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from portal.claims.arrears_models import ARREARS_CATEGORY
from portal.claims.models import Claim, ClaimLine
from portal.claims.queries import approved_unpaid
from portal.core.clock import LONDON
from portal.core.db import db
from portal.payments.terms import ClaimDue


def claims_waiting(up_to: date, household_ids: set[int] | None = None) -> list[ClaimDue]:
    """Approved claims not yet in a batch, decided on or before `up_to` (read-only). Arrears of a mileage rate
    increase keep their own words on the pay line: "Mileage rate increase, 6 April – 21 May 2026: £12.30"."""
    stmt = approved_unpaid(up_to)
    if household_ids is not None:
        stmt = stmt.where(Claim.household_id.in_(household_ids))
    claims = list(db.session.scalars(stmt))
    own_words = dict(
        db.session.execute(
            select(ClaimLine.claim_id, ClaimLine.note).where(
                ClaimLine.claim_id.in_([c.id for c in claims]), ClaimLine.category == ARREARS_CATEGORY
            )
        ).all()
    )
    return [
        ClaimDue(
            c.id,
            c.household_id,
            c.number,
            c.kind_label,
            c.approved_pence or 0,
            (c.decided_at or datetime.now(timezone.utc)).astimezone(LONDON).date(),
            own_words.get(c.id),
        )
        for c in claims
    ]
