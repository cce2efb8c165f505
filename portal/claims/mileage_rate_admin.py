"""Admin upkeep of the effective-dated mileage rate table: add a rate or correct one, with an audit event."""

from __future__ import annotations

from datetime import date

from portal.auth.models import User
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
) -> MileageRate:
    """Add or correct a row of the rate table (admin). Claims already sent keep the amounts worked out then."""
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
    return rate
