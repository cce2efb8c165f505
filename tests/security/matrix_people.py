"""Matrix rows for households, children, placements and areas: read pages by relationship, change pages for admins."""

from __future__ import annotations

from portal.auth.roles import Role
from tests.security.matrix import MISSING_ID, Case

ADMIN = frozenset({Role.ADMIN})
HOUSEHOLD_READERS = frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT, Role.CARER})
HOUSEHOLD_LISTERS = frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT})
CHILD_READERS = frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.CARER})
CHILD_LISTERS = frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW})


def _household(suffix: str = ""):
    def url(w, which):
        target = {"own": w.household_a.id, "other": w.household_b.id, "missing": MISSING_ID}[which]
        return f"/households/{target}{suffix}"

    return url


def _child(suffix: str = ""):
    def url(w, which):
        target = {"own": w.child_a.id, "other": w.child_b.id, "missing": MISSING_ID}[which]
        return f"/children/{target}{suffix}"

    return url


def _placement(suffix: str):
    def url(w, which):
        target = {"own": w.placement_a.id, "other": w.placement_b.id, "missing": MISSING_ID}[which]
        return f"/placements/{target}{suffix}"

    return url


def _admin_page(endpoint: str, url, *, has_object: bool = False, data=None) -> list[Case]:
    """GET and POST rows for an admin-only form page (admins see every household's objects)."""
    extra = {"has_object": has_object, "sees_other": ADMIN if has_object else frozenset()}
    return [Case(endpoint, url, ADMIN, **extra), Case(endpoint, url, ADMIN, method="POST", data=data or {}, **extra)]


CASES = [
    Case("people.list_households", lambda w, _: "/households", HOUSEHOLD_LISTERS),
    # Business support answers every carer's queries about claims and payments: all households, but no children.
    Case(
        "people.show_household",
        _household(),
        HOUSEHOLD_READERS,
        has_object=True,
        sees_other=frozenset({Role.ADMIN, Role.BUSINESS_SUPPORT}),
    ),
    Case("people.list_children", lambda w, _: "/children", CHILD_LISTERS),
    Case("people.show_child", _child(), CHILD_READERS, has_object=True, sees_other=ADMIN),
    Case("people.list_localities", lambda w, _: "/localities", ADMIN),
    # Suggestions for the household type-ahead: only to those who choose households, and only those they see.
    Case(
        "people.suggest_households",
        lambda w, _: "/lookups/households?q=Household",
        frozenset({Role.ADMIN, Role.BUSINESS_SUPPORT}),
    ),
    Case("people.suggest_children", lambda w, _: "/lookups/children?q=Alpha", CHILD_READERS),
    Case("people.suggest_people", lambda w, _: "/lookups/people/carers?q=carer", ADMIN),
    *_admin_page("people.add_locality", lambda w, _: "/localities/new", data={"name": "Matrix new area"}),
    *_admin_page("people.add_household", lambda w, _: "/households/new"),
    *_admin_page("people.change_household", _household("/edit"), has_object=True),
    *_admin_page("people.add_child", lambda w, _: "/children/new"),
    *_admin_page("people.change_child", _child("/edit"), has_object=True),
    *_admin_page("people.add_placement", _child("/placements/new"), has_object=True),
    *_admin_page("people.change_placement", _placement("/edit"), has_object=True),
    *_admin_page("people.end_placement", _placement("/end"), has_object=True),
]


def _carer(w, which):
    target = {"own": w.users[Role.CARER].id, "other": w.carer_b.id, "missing": MISSING_ID}[which]
    return f"/carers/{target}/reset-security-codes"


CASES += [
    Case(
        "people.reset_carer_security_codes",
        _carer,
        frozenset({Role.SSW, Role.ADMIN}),
        method="POST",
        has_object=True,
        sees_other=ADMIN,
    )
]
