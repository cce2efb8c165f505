"""Admin upkeep of the effective-dated mileage rate table: add a rate or correct one, with an audit event; a rate
that starts before today is followed by a working-out of what carers are owed (portal.claims.arrears)."""

from __future__ import annotations

from datetime import date, timedelta

from portal.auth.models import User
from portal.claims import arrears
from portal.claims.arrears_models import MileageRateChange
from portal.claims.models import MileageRate
from portal.core import audit
from portal.core.db import db
from portal.core.unit_of_work import transactional


@transactional
def save_mileage_rate(
    actor: User,
    rate: MileageRate | None,
    *,
    vehicle: str,
    effective_from: date,
    effective_to: date | None,
    pence_per_mile: int,
    threshold_miles: int | None,
    pence_after_threshold: int | None,
    source: str,
    announced_on: date | None = None,
) -> tuple[MileageRate, MileageRateChange | None]:
    """Add or correct a row of the rate table (admin). Claims already sent keep the amounts worked out then.

    A rate starting before today is backdated: the arrears it makes owing for journeys already paid are worked out
    for business support to approve (returned, or None when nothing differs). announced_on: the day the change was
    announced, named on carers' payments (default today)."""
    old_span = None if rate is None else (rate.effective_from, rate.effective_to)
    old_price = None if rate is None else (rate.pence_per_mile, rate.threshold_miles, rate.pence_after_threshold)
    before = (
        None
        if rate is None
        else {
            "vehicle": rate.vehicle,
            "pence": rate.pence_per_mile,
            "from": rate.effective_from.isoformat(),
            "to": rate.effective_to.isoformat() if rate.effective_to else None,
        }
    )
    rate = rate or MileageRate()
    rate.vehicle, rate.effective_from, rate.effective_to = vehicle, effective_from, effective_to
    rate.pence_per_mile, rate.threshold_miles, rate.pence_after_threshold = (
        pence_per_mile,
        threshold_miles,
        pence_after_threshold,
    )
    rate.source, rate.updated_by_id = source.strip(), actor.id
    db.session.add(rate)
    db.session.flush()
    audit.record(
        db.session,
        "mileage_rate_saved",
        actor_id=actor.id,
        object_type="mileage_rate",
        object_id=rate.id,
        before=before,
        vehicle=vehicle,
        pence=pence_per_mile,
        effective_from=effective_from.isoformat(),
        effective_to=effective_to.isoformat() if effective_to else None,
        source=rate.source,
    )
    window = _days_priced_differently(old_span, old_price, rate)
    change = arrears.work_out(actor, rate, announced_on, window) if window else None
    return rate, change


def _days_priced_differently(
    old_span: tuple[date, date | None] | None, old_price: tuple | None, rate: MileageRate
) -> tuple[date, date | None] | None:
    """The days whose journeys a save may price differently: the whole span of a new or re-priced row, only the
    days gained or lost when just its dates moved, None when nothing that prices a journey changed."""
    new_span = (rate.effective_from, rate.effective_to)
    if old_span is None or old_price != (rate.pence_per_mile, rate.threshold_miles, rate.pence_after_threshold):
        ends = [new_span[1], *(old_span[1:] if old_span else [])]
        return min([new_span[0], *(old_span[:1] if old_span else [])]), None if None in ends else max(ends)
    if old_span == new_span:
        return None
    lows, highs = [], []
    if old_span[0] != new_span[0]:
        lows.append(min(old_span[0], new_span[0]))
        highs.append(max(old_span[0], new_span[0]) - timedelta(days=1))
    if old_span[1] != new_span[1]:
        ends = [e for e in (old_span[1], new_span[1]) if e is not None]
        lows.append(min(ends) + timedelta(days=1))
        highs.append(None if None in (old_span[1], new_span[1]) else max(ends))
    return min(lows), None if None in highs else max(highs)
