"""What needs a carer's or social worker's attention, derived from household and placement facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.people.models import Household, HouseholdStatus, Placement, PlacementType

REVIEW_WARNING_DAYS = 60
REGULATION_24_WEEKS = 16
REGULATION_24_WARNING_WEEKS = 4


@dataclass(frozen=True)
class AttentionItem:
    text: str
    due: date | None = None
    urgent: bool = False


def annual_review_due(household: Household, on: date) -> date | None:
    """Due 12 months after approval, then every 12 months: the next anniversary on or after today."""
    approved = household.approval_date
    if approved is None:
        return None
    years = max(1, on.year - approved.year)
    due = _add_years(approved, years)
    if due < on:
        due = _add_years(approved, years + 1)
    return due


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def regulation_24_ends(placement: Placement) -> date:
    """Temporary approval of a connected person lasts at most 16 weeks from the day the child arrived."""
    return placement.start_date + timedelta(weeks=REGULATION_24_WEEKS)


def household_attention(household: Household, placements: list[Placement], on: date) -> list[AttentionItem]:
    """What a carer should act on soon, most pressing first; `placements` are the household's current ones. The
    home page passes summaries with the same fields (portal.people.home)."""
    items: list[AttentionItem] = []
    if household.status == HouseholdStatus.ON_HOLD:
        items.append(
            AttentionItem(
                "Your household is on hold. Your supervising social worker will talk to you about what happens next.",
                urgent=True,
            )
        )
    for p in placements:
        if p.placement_type == PlacementType.REGULATION_24:
            ends = regulation_24_ends(p)
            if ends < on:
                items.append(
                    AttentionItem(
                        f"Temporary approval for {p.child.known_as} has passed its 16 weeks. "
                        "Talk to your supervising social worker",
                        due=ends,
                        urgent=True,
                    )
                )
            elif ends - on <= timedelta(weeks=REGULATION_24_WARNING_WEEKS):
                items.append(AttentionItem(f"Temporary approval for {p.child.known_as} ends", due=ends, urgent=True))
    due = annual_review_due(household, on)
    if due and due - on <= timedelta(days=REVIEW_WARNING_DAYS):
        items.append(
            AttentionItem("Your annual foster carer review is due", due=due, urgent=due - on <= timedelta(days=14))
        )
    return items
