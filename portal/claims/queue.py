"""Business support's claims queue: one page of claims with the names it shows, and the summary counts above it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, or_, select, union_all

from portal.auth.models import User
from portal.auth.roles import Role
from portal.claims.carer_list import ClaimRow
from portal.claims.models import AWAITING_STAFF, Claim, ClaimKind, ClaimStatus
from portal.claims.queries import claims_visible_to, start_of
from portal.claims.rules import Settings, subtract_working_days, working_days_between
from portal.core import trigrams
from portal.core.clock import LONDON, today
from portal.core.db import db
from portal.core.pagination import PER_PAGE, Page
from portal.people.models import Household, Locality

QUEUE_STATUSES = {
    "": AWAITING_STAFF,
    "submitted": (ClaimStatus.SUBMITTED,),
    "second_approval": (ClaimStatus.SECOND_APPROVAL,),
    "queried": (ClaimStatus.QUERIED,),
    "approved": (ClaimStatus.APPROVED,),
    "rejected": (ClaimStatus.REJECTED,),
    "batched": (ClaimStatus.BATCHED,),
    "paid": (ClaimStatus.PAID,),
}
_KINDS = frozenset(k.value for k in ClaimKind)
# The statuses the summary counts: a page showing no other status takes its total from them.
_COUNTED = frozenset(st.value for st in (*AWAITING_STAFF, ClaimStatus.QUERIED, ClaimStatus.APPROVED))
# Claims counted for a filtered page's "Showing 1 to 25 of …": a one-letter search matches most of a large
# service's claims, and counting them all would make the page cost what the service holds. Beyond it, "more than
# 100" (portal.core.pagination.Page.more) and a link to the next page: four pages of a search are as far as anyone
# pages before narrowing it, and counting 1,000 matches cost a millisecond at 100 times the demo's data, half the
# page again.
COUNT_CAP = 100

# Tables rather than mapped classes: the statements run without the ORM's compiling and loading steps.
_CLAIMS = Claim.__table__
_HOUSEHOLDS = Household.__table__
_LOCALITIES = Locality.__table__
_USERS = User.__table__
_CLAIMANTS = _USERS.alias("claimant")


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A claim as the queue shows it: its own columns, the names of its carer, household and locality, and its age in
    working days since it was sent (0 if never sent)."""

    id: int
    kind: str
    status: str
    total_pence: int
    submitted_at: datetime | None  # UTC
    claimant_name: str
    household_name: str
    locality_name: str
    age: int

    number = ClaimRow.number
    kind_label = ClaimRow.kind_label
    status_label = ClaimRow.status_label
    status_tag = ClaimRow.status_tag


def _like(text: str) -> str:
    """A LIKE pattern for "contains `text`", its wildcards escaped with a backslash."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# The values a filter binds, in the order of `_statements`' flags after status and kind.
_VALUE_KEYS = ("locality_id", "household", "household_trigrams", "cutoff", "search", "search_trigrams", "number")


@cache  # at most 8 statuses × 4 kinds × 2⁸ shapes
def _statements(
    status: str,
    kind: str,
    locality: bool,
    household: bool,
    household_trigrams: bool,
    cutoff: bool,
    search: bool,
    search_trigrams: bool,
    number: bool,
    short_search: bool = False,
) -> tuple[Select, Select, Select]:
    """(matching claims' ids, page, merged page) for one combination of filters, built once: a statement keeps its
    cache key, so running it again skips building and keying it. Values are bound when it runs: locality_id,
    household and search (LIKE patterns), household_trigrams and search_trigrams (the same texts as FTS5 strings, on SQLite:
    portal.core.trigrams), cutoff (UTC), number (a claim id), and the page's limit and offset (the merged page also
    `reach`, their sum). The merged page (_merged) gives the page's rows for every claim, not only what a
    claims_visible_to narrows."""
    c, h, named_by = _CLAIMS.c, _HOUSEHOLDS.c, _CLAIMANTS.c
    statuses = [st.value for st in QUEUE_STATUSES[status]]
    where = []
    if kind:
        where.append(c.kind == kind)
    if locality:
        where.append(h.locality_id == bindparam("locality_id"))
    if household:
        pattern = bindparam("household")
        where.append(or_(h.name.ilike(pattern, escape="\\"), h.reference.ilike(pattern, escape="\\")))
        if household_trigrams:
            where.append(trigrams.holding(h.id, trigrams.HOUSEHOLDS, bindparam("household_trigrams")))
    if cutoff:
        where.append(c.submitted_at < bindparam("cutoff", type_=c.submitted_at.type))
    if search:
        if short_search:
            # One or two letters are in most carers' names: each claim's carer is read by id as the claims are
            # walked in order, and a page stops the walk, instead of every carer being read to make a list first.
            either = [named_by.full_name.ilike(bindparam("search"), escape="\\")]
        else:
            named = select(_USERS.c.id).where(_USERS.c.full_name.ilike(bindparam("search"), escape="\\"))
            if search_trigrams:
                named = named.where(
                    trigrams.holding(_USERS.c.id, trigrams.USERS, bindparam("search_trigrams"), within="full_name")
                )
            either = [c.claimant_id.in_(named)]
        if number:
            either.append(c.id == bindparam("number"))
        where.append(or_(*either))
    # Counted on the claims alone (with their households or carers only to filter by them), before names are joined.
    counted = _CLAIMS.join(_HOUSEHOLDS, h.id == c.household_id) if locality or household else _CLAIMS
    if short_search:
        counted = counted.join(_CLAIMANTS, named_by.id == c.claimant_id)
    matching = select(c.id).select_from(counted).where(c.status.in_(statuses), *where)
    shown = (
        _CLAIMS.join(_HOUSEHOLDS, h.id == c.household_id)
        .join(_CLAIMANTS, named_by.id == c.claimant_id)
        .join(_LOCALITIES, _LOCALITIES.c.id == h.locality_id)
    )
    columns = (c.id, c.kind, c.status, c.total_pence, c.submitted_at, named_by.full_name, h.name, _LOCALITIES.c.name)
    page = (
        select(*columns)
        .select_from(shown)
        .where(c.status.in_(statuses), *where)
        .order_by(c.submitted_at.asc(), c.id.asc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return matching, page, _merged(statuses, where, counted, shown, columns)


def _merged(statuses: list[str], where: list, counted, shown, columns) -> Select:
    """The page for one or more statuses, each status's claims read in order from ix_claims_status_submitted up to
    the page's end (`reach`: offset + limit) and merged; only the page's rows are joined to their names. (An IN over
    several statuses makes the database read every claim of them all, with their names, and sort them.)"""
    c = _CLAIMS.c
    runs = [
        select(c.id, c.submitted_at)
        .select_from(counted)
        .where(c.status == st, *where)
        .order_by(c.submitted_at.asc(), c.id.asc())
        .limit(bindparam("reach"))
        .subquery()
        for st in statuses
    ]
    first = [select(run.c.id, run.c.submitted_at) for run in runs]
    merged = (first[0] if len(first) == 1 else union_all(*first)).subquery("page_ids")
    return (
        select(*columns)
        .select_from(shown.join(merged, merged.c.id == c.id))
        .order_by(merged.c.submitted_at.asc(), merged.c.id.asc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


def queue_rows(
    user: User,
    s: Settings,
    number: int = 1,
    per_page: int = PER_PAGE,
    *,
    counts: dict[str, int] | None = None,
    status: str = "",
    kind: str = "",
    locality_id: int | None = None,
    household: str = "",
    age: str = "",
    search: str = "",
    on: date | None = None,
) -> Page[QueueRow]:
    """One page (1-based `number`; past the end, the last) of the claims queue, oldest first, ages counted on `on`
    (default today). Uses ix_claims_status_submitted, so a page costs the same at any table size.

    Filters only narrow what the user may see: `status`, a QUEUE_STATUSES key ("" or unknown: waiting for a decision);
    `kind` (unknown: any); `locality_id`; `household`, in a household's name or reference; `age`, "over_target" or
    a number of days; `search`, a claim number or part of the carer's name. `counts`, the page's `queue_counts`: a
    page filtered by those statuses alone takes its total from them instead of counting again; any other is counted
    up to COUNT_CAP, and past it the page says "more than 100" (`Page.more`) and links to the next page only.
    """
    on = on or today()
    status = status if status in QUEUE_STATUSES else ""
    kind = kind if kind in _KINDS else ""
    values: dict[str, object] = {}
    if locality_id:
        values["locality_id"] = locality_id
    if household:
        values["household"] = _like(household)
        if trigrams.serve(household):  # SQLite: the households holding the text, not every household
            values["household_trigrams"] = trigrams.phrase(household)
    cutoff = None
    if age == "over_target":
        cutoff = subtract_working_days(on, s.target_working_days)
    elif age.isdigit():
        cutoff = on - timedelta(days=int(age))
    if cutoff is not None:
        values["cutoff"] = start_of(cutoff)
    search = search.strip()
    if search:
        values["search"] = _like(search)
        if trigrams.serve(search):
            values["search_trigrams"] = trigrams.phrase(search)
        digits = search.upper().removeprefix("CL-").lstrip("0")
        if digits.isdigit() and len(digits) < 10:
            values["number"] = int(digits)
    short = bool(search) and len(search) < trigrams.MIN_TRIGRAM
    matching, page, merged = _statements(status, kind, *(key in values for key in _VALUE_KEYS), short)
    # Staff see every claim that was sent (claims_visible_to), and the queue lists only claims that were sent: for
    # them the statements are everyone's. Anyone else is narrowed to what claims_visible_to lets them see.
    staff = user.has_role(Role.ADMIN, Role.BUSINESS_SUPPORT)
    if staff:
        page, (capped, full) = merged, _counts(matching)
    else:
        visible = claims_visible_to(user).whereclause
        page, (capped, full) = page.where(visible), _count_statements(matching.where(visible))
    statuses = {st.value for st in QUEUE_STATUSES[status]}
    from_counts = staff and counts is not None and not values and not kind and statuses <= _COUNTED
    if from_counts:  # an exact total, however large
        total = sum(counts.get(st, 0) for st in statuses)
    else:
        total = db.session.scalar(capped, {**values, "cap": COUNT_CAP + 1}) or 0
    if not from_counts and total > COUNT_CAP:  # "more than 100": the page and one row beyond tell if a next exists
        rows = _rows(page, values, max(1, number), per_page, beyond=1)
        if rows or number <= 1:
            items = [_queue_row(row, on) for row in rows[:per_page]]
            return Page(items, max(1, number), per_page, COUNT_CAP, more=True, next_exists=len(rows) > per_page)
        total = db.session.scalar(full, values) or 0  # a page past the end, typed by hand: only now count them all
    number = min(max(1, number), max(1, -(-total // per_page)))
    items = [_queue_row(row, on) for row in _rows(page, values, number, per_page)]
    return Page(items, number, per_page, total)


def _count_statements(matching: Select) -> tuple[Select, Select]:
    """(at most `cap` matching claims counted, all of them counted) for the statement of their ids."""
    capped = select(func.count()).select_from(matching.limit(bindparam("cap")).subquery())
    return capped, select(func.count()).select_from(matching.subquery())


# Kept per statement of _statements' (a statement narrowed for one reader is built per request, and not kept).
_counts = cache(_count_statements)


def _rows(page: Select, values: dict, number: int, per_page: int, beyond: int = 0) -> list:
    """Page `number`'s rows, and `beyond` more after them."""
    offset, limit = (number - 1) * per_page, per_page + beyond
    return db.session.execute(page, {**values, "limit": limit, "offset": offset, "reach": offset + limit}).all()


def _queue_row(row, on: date) -> QueueRow:
    return QueueRow(*row, working_days_between(row[4].astimezone(LONDON).date(), on) if row[4] else 0)


_QUEUE_COUNTS = (
    select(_CLAIMS.c.status, func.count()).where(_CLAIMS.c.status.in_(sorted(_COUNTED))).group_by(_CLAIMS.c.status)
)


def queue_counts(user: User) -> dict[str, int]:
    """{status: claims} for the statuses the queue's summary names, those with none left out (every claim: staff see
    them all)."""
    return dict(db.session.execute(_QUEUE_COUNTS).all())
