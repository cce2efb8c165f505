"""The claims world (a carer household, business support and an admin) for the claims items on home pages."""

from tests.claims.conftest import world  # noqa: F401
