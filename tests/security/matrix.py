"""The authorization matrix: every route × every role × {own object, another household's object, a missing id}.

Each feature declares its routes in `tests/security/matrix_<feature>.py` as a list named CASES of `Case`s.
tests/security/test_authorization_matrix.py fails if any endpoint of the app has no Case.

The World holds two households (A and B), each with a carer and a child placed now, and one user per role who
relates to household A / child A where that role relates to anything ("own" objects are A's, "other" are B's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from tests.factories import make_child, make_household, make_locality, make_user, place

PUBLIC = "public"
ANY_SIGNED_IN = "any"
ALL_ROLES = tuple(Role)
MISSING_ID = 987654


@dataclass
class World:
    users: dict[Role, object]
    carer_b: object
    household_a: object
    household_b: object
    child_a: object
    child_b: object
    placement_a: object
    placement_b: object
    extra: dict = field(default_factory=dict)  # features add their own objects through Case.setup


def build_world() -> World:
    loc = make_locality("Matrix town")
    users = {role: make_user(role, email=f"{role.value}@matrix.example.org") for role in Role}
    ssw_b = make_user(Role.SSW, email="ssw-b@matrix.example.org")
    sw_b = make_user(Role.CHILD_SW, email="sw-b@matrix.example.org")
    carer_b = make_user(Role.CARER, email="carer-b@matrix.example.org")
    household_a = make_household(users[Role.CARER], ssw=users[Role.SSW], locality=loc, name="Household A")
    household_b = make_household(carer_b, ssw=ssw_b, locality=loc, name="Household B")
    child_a = make_child(social_worker=users[Role.CHILD_SW], young_person=users[Role.YOUNG_PERSON], first_name="Alpha")
    child_b = make_child(social_worker=sw_b, first_name="Beta")
    start = today() - timedelta(days=60)
    return World(
        users=users,
        carer_b=carer_b,
        household_a=household_a,
        household_b=household_b,
        child_a=child_a,
        child_b=child_b,
        placement_a=place(child_a, household_a, start=start),
        placement_b=place(child_b, household_b, start=start),
    )


@dataclass
class Case:
    """One route. `url(world, which)` builds its URL for which in {"own", "other", "missing"} (ignored without objects).

    allowed: the roles that pass the gate (PUBLIC, ANY_SIGNED_IN, or a set of roles).
    sees_other: allowed roles for whom household B's object is also theirs to see (e.g. admin); others get 404.
    own_hidden_from: allowed roles who pass the gate but for whom even A's object is hidden (404), e.g. business
      support on a child's page.
    data: form data for POSTs (a CSRF token is added); an allowed POST must not answer 403/404/500.
    setup: adds feature objects to world.extra before the URL is built.
    """

    endpoint: str
    url: Callable[[World, str], str]
    allowed: object
    method: str = "GET"
    has_object: bool = False
    sees_other: frozenset[Role] = frozenset()
    own_hidden_from: frozenset[Role] = frozenset()
    data: dict | Callable[[World], dict] = field(default_factory=dict)
    setup: Callable[[World], None] | None = None
    ok_statuses: tuple[int, ...] = (200, 302, 303)

    def allows(self, role: Role) -> bool:
        return self.allowed in (PUBLIC, ANY_SIGNED_IN) or role in self.allowed
