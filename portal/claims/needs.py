"""What needs a person about claims: a carer's queried claims; business support's queues, with the oldest's age."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select

from portal.auth.roles import Role
from portal.claims.models import Claim, ClaimEvent, ClaimStatus, claim_number
from portal.core.db import db
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source
from portal.people.models import HouseholdMember

SHOWN = 5  # the newest few; the claims list has the rest


# Asked on every visit to a carer's home page: a Core statement built once (the user is a bound parameter). A queried
# claim is never a draft, so of claims_visible_to's rules only the household's applies, whatever else the person is.
_claims, _events, _members = Claim.__table__, ClaimEvent.__table__, HouseholdMember.__table__
_QUERIED = (
    select(
        _claims.c.id,
        _claims.c.created_at,
        select(func.max(_events.c.at)).where(_events.c.claim_id == _claims.c.id).scalar_subquery(),
    )
    .where(
        _claims.c.household_id.in_(select(_members.c.household_id).where(_members.c.user_id == bindparam("user_id"))),
        _claims.c.status == ClaimStatus.QUERIED,
    )
    .order_by(_claims.c.created_at.desc(), _claims.c.id.desc())
    .limit(SHOWN)
)


def carer_claim_needs(user, on: date) -> list[Need]:
    """Claims business support sent back with a question (one query, at most SHOWN rows)."""
    return [
        Need(
            kind="claim_queried",
            text=f"Business support have a question about your claim {claim_number(claim_id)}",
            href=path_to("claims.show_claim", claim_id=claim_id),
            at=at or created_at,
        )
        for claim_id, created_at, at in db.session.execute(_QUERIED, {"user_id": user.id})
    ]


QUEUES = (
    (ClaimStatus.SUBMITTED, "Claims waiting for a decision", ""),
    (ClaimStatus.SECOND_APPROVAL, "Claims waiting for a second approval", "second_approval"),
)


def claim_queue_needs(user, on: date) -> list[Need]:
    """Business support's queues: how many claims wait and since when (one grouped query)."""
    rows = db.session.execute(
        select(Claim.status, func.count(Claim.id), func.min(Claim.submitted_at))
        .where(Claim.status.in_([status.value for status, _, _ in QUEUES]))
        .group_by(Claim.status)
    ).all()
    found = {status: (count, oldest) for status, count, oldest in rows}
    needs = []
    for status, text, filter_value in QUEUES:
        count, oldest = found.get(status.value, (0, None))
        if count:
            args = {"status": filter_value} if filter_value else {}
            needs.append(
                Need(
                    kind=f"claims_{status.value}",
                    text=text,
                    href=path_to("claims.list_claim_queue", **args),
                    at=oldest or on,
                    count=count,
                    oldest=oldest,
                )
            )
    return needs


register_need_source([Role.CARER], carer_claim_needs)
register_need_source([Role.BUSINESS_SUPPORT], claim_queue_needs)
