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
# What a carer sees (portal.claims.queries.claims_visible_to): their household's claims, except other carers'
# drafts; newest first. A carer belongs to one household (household_members is unique by user): compared with `=`,
# the page is read newest first from ix_claims_household_created and stops when full, where IN sorted them all.
_HOUSEHOLD_CLAIMS = (
    select(*_COLUMNS)
    .where(
        Claim.household_id
        == select(HouseholdMember.household_id)
        .where(HouseholdMember.user_id == bindparam("user_id"))
        .scalar_subquery(),
        or_(Claim.status != ClaimStatus.DRAFT, Claim.claimant_id == bindparam("user_id")),
    )
    .order_by(Claim.created_at.desc(), Claim.id.desc())
)
CLAIMS_COUNTED = 1000  # decades of a household's claims: past this the list says "more than 1,000"
# Counted in the same statement, once (an uncorrelated subquery), up to the cap: never a window over all the rows.
_COUNT = (
    select(func.count())
    .select_from(_HOUSEHOLD_CLAIMS.with_only_columns(Claim.id).order_by(None).limit(bindparam("counted")).subquery())
    .scalar_subquery()
)
_PAGE = _HOUSEHOLD_CLAIMS.add_columns(_COUNT.label("rows_in_all")).limit(bindparam("limit")).offset(bindparam("offset"))


def household_claim_rows(user: User, number: int = 1, per_page: int = PER_PAGE) -> Page[ClaimRow]:
    """One page (1-based `number`; past the end, the last) of the claims of the household `user` cares in, newest
    first, as `ClaimRow`s, counted in the same statement up to CLAIMS_COUNTED (past it, `Page.more`, with the next
    page known from one row read beyond this one).

    An admin who is also a carer sees their household's drafts too, as `claims_visible_to` lets admins."""
    if user.has_role(Role.ADMIN):
        from portal.claims.queries import household_claims

        return paginate_counted(household_claims(user).with_only_columns(*_COLUMNS), number, per_page, make=ClaimRow)
    number = max(1, number)
    params = {
        "user_id": user.id,
        "counted": CLAIMS_COUNTED + 1,
        "limit": per_page + 1,
        "offset": (number - 1) * per_page,
    }
    rows = db.session.execute(_PAGE, params).all()
    if not rows and number > 1:  # past the end: the general path finds the last page
        return paginate_counted(_HOUSEHOLD_CLAIMS.params(user_id=user.id), number, per_page, make=ClaimRow)
    total = rows[0][-1] if rows else 0
    items = [ClaimRow(*r[:-1]) for r in rows[:per_page]]
    if total > CLAIMS_COUNTED:
        return Page(items, number, per_page, total=CLAIMS_COUNTED, more=True, next_exists=len(rows) > per_page)
    return Page(items=items, number=number, per_page=per_page, total=total)
