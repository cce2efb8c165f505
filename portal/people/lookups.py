"""Choosing one household, child or person from thousands by typing: search, the label a choice shows, and reading typed
text back.

Long lists are never sent whole to fill a select. Without JavaScript a person types a reference or part of a name
into a text input and the server reads it back (resolve_household, resolve_child, resolve_person): one match is taken, none or
several give a message beside the field. With JavaScript the same input becomes GOV.UK's accessible-autocomplete
(static/js/lookup.js), which asks /lookups/households, /lookups/children or /lookups/people/<kind> for at most LIMIT
labels as the person types. Every search is scoped to what the person may see (portal.people.queries).
"""

from __future__ import annotations

import re

from sqlalchemy import Select, func, or_, select

from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core import trigrams
from portal.core.db import db
from portal.people.models import Child, Household, HouseholdMember
from portal.people.queries import children_visible_to, households_visible_to

LIMIT = 10
MIN_ANYWHERE = 3  # characters before a search matches inside words, not only at their start
_LABELLED = re.compile(r"\(([^()]+)\)\s*$")  # "Okafor household (FH-1001)": the reference in the last brackets


class NoSuchHousehold(ValueError):
    """The typed text names no household the person may choose, or several: the message says which and what to do."""


class NoSuchChild(ValueError):
    """The typed text names no child the person may choose, or several."""


def household_label(household: Household) -> str:
    """How a household is named in a choice and read back: its name and, in brackets, its unique reference."""
    return f"{household.name} ({household.reference})"


def _contains(column, text: str):
    """`column` contains `text` (any case). On PostgreSQL a trigram GIN index (migration 0020) finds the rows, so a
    search reads what matches rather than every visible row. One or two characters make no trigram, so they match
    only at the start of a word, which the index still finds ("  a", " ab"): the same rule on SQLite, where trigram
    tables (portal.core.trigrams) narrow a search of three characters or more."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = column.like if _like_ignores_case() else column.ilike
    if len(text) < MIN_ANYWHERE:
        return or_(like(f"{escaped}%", escape="\\"), like(f"% {escaped}%", escape="\\"))
    return like(f"%{escaped}%", escape="\\")


def _like_ignores_case() -> bool:
    """SQLite's LIKE ignores the case of ASCII letters, the only ones its lower() changes: ILIKE (lower() of both
    sides) matches the same values there at twice the cost of scanning them, so plain LIKE is used."""
    return db.session.get_bind().dialect.name == "sqlite"


def find_households(user: User, text: str, limit: int = LIMIT, *, among: Select | None = None) -> list[Household]:
    """Up to `limit` households the user may see (or of `among`, a select of households a form offers) whose name
    or reference contains `text`, by name."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    named = [trigrams.holding(Household.id, trigrams.HOUSEHOLDS, text)] if trigrams.serve(text) else []
    stmt = (households_visible_to(user) if among is None else among).where(
        *named, or_(_contains(Household.name, text), _contains(Household.reference, text))
    )
    return list(db.session.scalars(stmt.order_by(Household.name, Household.id).limit(limit)))


def resolve_household(user: User, text: str | None, *, among: Select | None = None) -> Household:
    """The one household the typed text names: a label as the type-ahead fills it in, a reference, a part of a
    name found in exactly one household, or a household's number (as links and earlier forms send it). Chosen from
    those the user may see, or from `among` (a select of households) when a form offers others.

    Raises NoSuchHousehold with a message for beside the field."""
    text = " ".join((text or "").split())[:300]
    if not text:
        raise NoSuchHousehold("Enter the household's name or reference")
    visible = households_visible_to(user) if among is None else among
    if text.isdigit():
        found = db.session.scalar(visible.where(Household.id == int(text)))
        if found is not None:
            return found
    labelled = _LABELLED.search(text)
    reference = labelled.group(1).strip() if labelled else text
    found = db.session.scalar(visible.where(func.lower(Household.reference) == reference.lower()))
    if found is not None:
        return found
    # A bare number is an id or a reference, never a part of a name to guess from.
    matches = [] if text.isdigit() else find_households(user, text, limit=2, among=among)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchHousehold(f"No household's name or reference matches ‘{text}’")
    raise NoSuchHousehold(f"More than one household matches ‘{text}’: enter the household's reference")


def child_label(child: Child) -> str:
    """How a child is named in a choice and read back: the name they go by and, in brackets, their case reference."""
    return f"{child.known_as} {child.last_name} ({child.case_reference})"


def _children_named(words: list[str]) -> list:
    """On SQLite, each word of three characters or more narrows the search to the children whose names hold it, as
    the trigram index finds them (portal.core.trigrams); the LIKE conditions then decide, as on PostgreSQL after its
    trigram indexes. So a search reads the children it names, not every child."""
    return [trigrams.holding(Child.id, trigrams.CHILDREN, w) for w in words if trigrams.serve(w)]


def find_children(user: User, text: str, limit: int = LIMIT) -> list[Child]:
    """Up to `limit` children the user may see whose names or case reference contain `text`, by first name."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    columns = (Child.first_name, Child.last_name, Child.preferred_name, Child.case_reference)
    words = [w for w in text.split(" ") if w][:4]  # "Millie Stone": every word in one of the names
    stmt = children_visible_to(user).where(
        *_children_named(words), *(or_(*(_contains(c, w) for c in columns)) for w in words)
    )
    return list(db.session.scalars(stmt.order_by(Child.first_name, Child.last_name, Child.id).limit(limit)))


def resolve_child(user: User, text: str | None) -> Child:
    """The one child the typed text names: a label as the type-ahead fills it in, a case reference, a name found
    in exactly one child, or a child's number (as a select of a few children sends it).

    Raises NoSuchChild with a message for beside the field."""
    text = " ".join((text or "").split())[:300]
    if not text:
        raise NoSuchChild("Enter the child's name or case reference")
    visible = children_visible_to(user)
    if text.isdigit():
        found = db.session.scalar(visible.where(Child.id == int(text)))
        if found is not None:
            return found
    labelled = _LABELLED.search(text)
    reference = labelled.group(1).strip() if labelled else text
    found = db.session.scalar(visible.where(func.lower(Child.case_reference) == reference.lower()))
    if found is not None:
        return found
    matches = [] if text.isdigit() else find_children(user, text, limit=2)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchChild(f"No child's name or case reference matches ‘{text}’")
    raise NoSuchChild(f"More than one child matches ‘{text}’: enter the child's case reference")


# People chosen on the admin's forms: carers and applicants not in another household, the social workers, young
# people's accounts not linked to another child (household and child forms), and the staff who may own an
# information page (portal.hub.policy.PAGE_OWNERS).
PERSON_KINDS = {
    "carers": (Role.CARER, Role.APPLICANT),
    "supervising-social-workers": (Role.SSW,),
    "childs-social-workers": (Role.CHILD_SW,),
    "young-people": (Role.YOUNG_PERSON,),
    "staff": (Role.ADMIN, Role.SSW, Role.BUSINESS_SUPPORT, Role.TRAINING_COORDINATOR, Role.MENTORING_COORDINATOR),
}


class NoSuchPerson(ValueError):
    """The typed text names no one who may be chosen here, or several."""


def person_label(user: User) -> str:
    """How a person is named in a choice and read back: their name and, in brackets, their unique email address
    (of a User, or of a row with those two columns)."""
    return f"{user.full_name} ({user.email})"


def candidate_people(kind: str, *, household_id: int | None = None, child_id: int | None = None) -> Select:
    """Active users who may be chosen as `kind` (a key of PERSON_KINDS) for this household or child.

    Raises KeyError for an unknown kind."""
    roles = [r.value for r in PERSON_KINDS[kind]]
    stmt = select(User).where(
        User.is_active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles)))
    )
    if kind == "carers":
        taken = select(HouseholdMember.user_id)
        if household_id is not None:
            taken = taken.where(HouseholdMember.household_id != household_id)
        stmt = stmt.where(User.id.not_in(taken))
    if kind == "young-people":
        linked = select(Child.young_person_user_id).where(Child.young_person_user_id.is_not(None))
        if child_id is not None:
            linked = linked.where(Child.id != child_id)
        stmt = stmt.where(User.id.not_in(linked))
    return stmt


def find_people(kind: str, text: str, limit: int = LIMIT, **scope) -> list[User]:
    """Up to `limit` candidates whose name or email contains every word of `text`, by name."""
    words = [w for w in " ".join(text.split())[:100].split(" ") if w][:4]
    if not words:
        return []
    named = [trigrams.holding(User.id, trigrams.USERS, w) for w in words if trigrams.serve(w)]
    stmt = candidate_people(kind, **scope).where(
        *named, *(or_(_contains(User.full_name, w), _contains(User.email, w)) for w in words)
    )
    return list(db.session.scalars(stmt.order_by(User.full_name, User.id).limit(limit)))


def resolve_person(kind: str, text: str | None, **scope) -> User | None:
    """The candidate the text names (a label, an email address, a unique part of a name, or an id as a select
    sends it); None when it is blank. Raises NoSuchPerson."""
    text = " ".join((text or "").split())[:300]
    if not text:
        return None
    candidates = candidate_people(kind, **scope)
    if text.isdigit():
        found = db.session.scalar(candidates.where(User.id == int(text)))
        if found is None:
            raise NoSuchPerson("not on the list")
        return found
    labelled = _LABELLED.search(text)
    email = labelled.group(1).strip() if labelled else text
    found = db.session.scalar(candidates.where(func.lower(User.email) == email.lower()))
    if found is not None:
        return found
    matches = find_people(kind, text, limit=2, **scope)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchPerson(f"No one who can be chosen here matches ‘{text}’")
    raise NoSuchPerson(f"More than one person matches ‘{text}’: enter their email address")
