"""What needs a person about claims: a carer's queried claims; business support's queues, with the oldest's age."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select

from portal.auth.roles import Role
from portal.claims.models import Claim, ClaimEvent, ClaimStatus, claim_number
from portal.core.db import db
from portal.core.links import path_to
from portal.core.need_rows import need_columns
from portal.hub.needs import Need, NeedRows, register_need_rows, register_need_source
from portal.people.models import HouseholdMember

SHOWN = 5  # the newest few; the claims list has the rest


# Asked on every visit to a carer's home page: a row source (portal.hub.needs.NeedRows), read with the person's other
# items in one statement. A queried claim is never a draft, so of claims_visible_to's rules only the household's
# applies, whatever else the person is. It arose when business support last acted on it.
_claims, _events, _members = Claim.__table__, ClaimEvent.__table__, HouseholdMember.__table__
_QUERIED = (
    select(
        *need_columns(
            ref=_claims.c.id,
            at=func.coalesce(
                select(func.max(_events.c.at)).where(_events.c.claim_id == _claims.c.id).scalar_subquery(),
                _claims.c.created_at,
            ),
        )
    )
    .where(
        _claims.c.household_id.in_(select(_members.c.household_id).where(_members.c.user_id == bindparam("user_id"))),
        _claims.c.status == ClaimStatus.QUERIED,
    )
    .order_by(_claims.c.created_at.desc(), _claims.c.id.desc())
    .limit(SHOWN)
)


def queried_claim_need(row) -> Need:
    """A claim business support sent back with a question (the newest SHOWN)."""
    return Need(
        kind="claim_queried",
        text=f"Business support have a question about your claim {claim_number(row.ref)}",
        href=path_to("claims.show_claim", claim_id=row.ref),
        at=row.at,
    )


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


register_need_rows(NeedRows("claims_queried", frozenset([Role.CARER]), _QUERIED, queried_claim_need))
register_need_source([Role.BUSINESS_SUPPORT], claim_queue_needs)
