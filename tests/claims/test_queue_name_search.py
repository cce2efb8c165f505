"""The claims queue filtered by part of a carer's or household's name: the same claims, in the same order, whether
SQLite's trigram tables narrow the filter or not, and after a rename."""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.claims.queue import queue_rows
from portal.claims.rules import Settings
from portal.core import trigrams
from portal.core.db import db
from tests.claims.conftest import make_claim
from tests.factories import make_household, make_user

S = Settings()


@pytest.fixture
def claims(world):
    zoe = make_user(Role.CARER, name="Zoë Ökafor")
    zoes = make_household(zoe, name="Zoë's household")
    made = [make_claim(world), make_claim(world, carer=zoe, household=zoes), make_claim(world)]
    return world, zoe, zoes, made


@pytest.mark.parametrize("typed", ["okafor", "OKAF", "Zoë", "zoë ök", "ök", "a", "sarah okafor", "FH-T", "'s h"])
@pytest.mark.parametrize("field", ["search", "household"])
def test_a_name_filter_shows_the_same_claims_with_or_without_the_trigram_tables(claims, monkeypatch, typed, field):
    world = claims[0]
    narrowed = queue_rows(world.support, S, **{field: typed})
    with monkeypatch.context() as m:
        m.setattr(trigrams, "serve", lambda text: False)
        scanned = queue_rows(world.support, S, **{field: typed})
    assert (narrowed.total, narrowed.items) == (scanned.total, scanned.items)


def test_a_renamed_carer_and_household_are_found_by_their_new_names(claims):
    world, zoe, zoes, (_, theirs, _) = claims
    zoe.full_name, zoes.name = "Zoë Whitfield", "Whitfield household"
    db.session.commit()
    assert [r.id for r in queue_rows(world.support, S, search="whitfield").items] == [theirs.id]
    assert [r.id for r in queue_rows(world.support, S, household="whitfield").items] == [theirs.id]
    assert theirs.id not in [r.id for r in queue_rows(world.support, S, search="Zoë Ökafor").items]
    assert [r.id for r in queue_rows(world.support, S, search="ök").items] == []
