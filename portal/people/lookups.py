"""Choosing one household from thousands by typing: search, the label a choice shows, and reading typed text back.

Long lists are never sent whole to fill a select. Without JavaScript a person types a household's reference or
part of its name into a text input and the server reads it back (resolve_household): one match is taken, none or
several give a message beside the field. With JavaScript the same input becomes GOV.UK's accessible-autocomplete
(static/js/lookup.js), which asks /lookups/households for at most LIMIT labels as the person types.
"""

from __future__ import annotations

import re

from sqlalchemy import func, or_

from portal.auth.models import User
from portal.core.db import db
from portal.people.models import Household
from portal.people.queries import households_visible_to

LIMIT = 10
_LABELLED = re.compile(r"\(([^()]+)\)\s*$")  # "Okafor household (FH-1001)": the reference in the last brackets


class NoSuchHousehold(ValueError):
    """The typed text names no household the person may choose, or several: the message says which and what to do."""


def household_label(household: Household) -> str:
    """How a household is named in a choice and read back: its name and, in brackets, its unique reference."""
    return f"{household.name} ({household.reference})"


def _contains(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def find_households(user: User, text: str, limit: int = LIMIT) -> list[Household]:
    """Up to `limit` households the user may see whose name or reference contains `text`, by name."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    stmt = households_visible_to(user).where(or_(_contains(Household.name, text), _contains(Household.reference, text)))
    return list(db.session.scalars(stmt.order_by(Household.name, Household.id).limit(limit)))


def resolve_household(user: User, text: str | None) -> Household:
    """The one household the typed text names: a label as the type-ahead fills it in, a reference, a part of a
    name found in exactly one household, or a household's number (as links and earlier forms send it).

    Raises NoSuchHousehold with a message for beside the field."""
    text = " ".join((text or "").split())[:300]
    if not text:
        raise NoSuchHousehold("Enter the household's name or reference")
    visible = households_visible_to(user)
    if text.isdigit():
        found = db.session.scalar(visible.where(Household.id == int(text)))
        if found is not None:
            return found
    labelled = _LABELLED.search(text)
    reference = labelled.group(1).strip() if labelled else text
    found = db.session.scalar(visible.where(func.lower(Household.reference) == reference.lower()))
    if found is not None:
        return found
    matches = find_households(user, text, limit=2)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchHousehold(f"No household's name or reference matches ‘{text}’")
    raise NoSuchHousehold(f"More than one household matches ‘{text}’: enter the household's reference")
