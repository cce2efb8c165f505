"""Where pay runs meet claims: approved claims waiting to be paid, as the engine's ClaimDue lines.

Claims are paid through a claims payment batch made for the pay run (portal.claims.batches), so a claim is in one
batch only, whichever way it is paid, and its page says when it was paid.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy.orm import aliased

from portal.claims.arrears_models import ARREARS_CATEGORY
from portal.claims.models import KIND_LABELS, Claim, ClaimKind, ClaimLine
from portal.claims.queries import approved_unpaid
from portal.core.clock import LONDON
from portal.core.db import db
from portal.payments.terms import ClaimDue


def claims_waiting(
    up_to: date, household_ids: set[int] | None = None, household_range: tuple[int, int] | None = None
) -> list[ClaimDue]:
    """Approved claims not yet in a batch, decided on or before `up_to` (read-only), of some households (ids, or an
    inclusive id range) or all. Arrears of a mileage rate increase keep their own words on the pay line:
    "Mileage rate increase, 6 April – 21 May 2026: £12.30"."""
    waiting = approved_unpaid(up_to)
    if household_range is not None:
        waiting = waiting.where(Claim.household_id.between(*household_range))
    elif household_ids is not None:
        waiting = waiting.where(Claim.household_id.in_(household_ids))
    # Plain columns, and the arrears notes by an outer join: no objects to hydrate, and no list of claim ids bound
    # one parameter each (a run can pay tens of thousands of claims).
    notes = aliased(ClaimLine)
    rows = db.session.execute(
        waiting.with_only_columns(
            Claim.id, Claim.household_id, Claim.kind, Claim.approved_pence, Claim.decided_at, notes.note
        ).outerjoin(notes, (notes.claim_id == Claim.id) & (notes.category == ARREARS_CATEGORY))
    ).all()
    now = datetime.now(timezone.utc)
    out: dict[int, ClaimDue] = {}
    for cid, household_id, kind, approved, decided_at, note in rows:
        if cid in out and note is None:
            continue  # the join repeats a claim once per arrears line: keep the words
        out[cid] = ClaimDue(
            cid,
            household_id,
            f"CL-{cid:06d}",
            KIND_LABELS[ClaimKind(kind)],
            approved or 0,
            (decided_at or now).astimezone(LONDON).date(),
            note,
        )
    return list(out.values())
