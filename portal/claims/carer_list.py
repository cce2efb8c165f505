"""The carer's list of their household's claims: the page carers open most after home, so its statement is built
once (the carer, the page size and the offset are bound values) and reads only the columns shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, or_, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.claims.models import KIND_LABELS, STATUS_LABELS, STATUS_TAGS, Claim, ClaimStatus, claim_number
from portal.core.db import db
from portal.core.pagination import PER_PAGE, Page, paginate_counted
from portal.people.models import HouseholdMember

# Labels by the stored string: a row read as plain columns has no enum to look them up by.
_KIND_LABEL = {k.value: label for k, label in KIND_LABELS.items()}
_STATUS_LABEL = {st.value: label for st, label in STATUS_LABELS.items()}
_STATUS_TAG = {st.value: tag for st, tag in STATUS_TAGS.items()}


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim as the carer's list shows it: its own columns only (no lines, household or claimant loaded)."""

    id: int
    kind: str
    status: str
    total_pence: int
    approved_pence: int | None
    submitted_at: datetime | None  # UTC
    paid_on: date | None
    payment_reference: str | None

    @property
    def number(self) -> str:
        return claim_number(self.id)

    @property
    def kind_label(self) -> str:
        return _KIND_LABEL[self.kind]

    @property
    def status_label(self) -> str:
        return _STATUS_LABEL[self.status]

    @property
    def status_tag(self) -> str:
        return _STATUS_TAG[self.status]


_COLUMNS = (
    Claim.id,
    Claim.kind,
    Claim.status,
    Claim.total_pence,
    Claim.approved_pence,
    Claim.submitted_at,
    Claim.paid_on,
    Claim.payment_reference,
)
# What a carer sees (portal.claims.queries.claims_visible_to): their households' claims, except other carers'
# drafts; newest first.
_HOUSEHOLD_CLAIMS = (
    select(*_COLUMNS)
    .where(
        Claim.household_id.in_(
            select(HouseholdMember.household_id).where(HouseholdMember.user_id == bindparam("user_id"))
        ),
        or_(Claim.status != ClaimStatus.DRAFT, Claim.claimant_id == bindparam("user_id")),
    )
    .order_by(Claim.created_at.desc(), Claim.id.desc())
)
_PAGE = (
    _HOUSEHOLD_CLAIMS.add_columns(func.count().over().label("rows_in_all"))
    .limit(bindparam("per_page"))
    .offset(bindparam("offset"))
)


def household_claim_rows(user: User, number: int = 1, per_page: int = PER_PAGE) -> Page[ClaimRow]:
    """One page (1-based `number`; past the end, the last) of the claims of the households `user` cares in, newest
    first, as `ClaimRow`s, counted in the same statement (a household's claims are a bounded list).

    An admin who is also a carer sees their household's drafts too, as `claims_visible_to` lets admins."""
    if user.has_role(Role.ADMIN):
        from portal.claims.queries import household_claims

        return paginate_counted(household_claims(user).with_only_columns(*_COLUMNS), number, per_page, make=ClaimRow)
    number = max(1, number)
    params = {"user_id": user.id, "per_page": per_page, "offset": (number - 1) * per_page}
    rows = db.session.execute(_PAGE, params).all()
    if not rows and number > 1:  # past the end: the general path finds the last page
        return paginate_counted(_HOUSEHOLD_CLAIMS.params(user_id=user.id), number, per_page, make=ClaimRow)
    total = rows[0][-1] if rows else 0
    return Page(items=[ClaimRow(*r[:-1]) for r in rows], number=number, per_page=per_page, total=total)
