"""The claims queue filtered by part of a carer's or household's name: the same claims, in the same order, whether
SQLite's trigram tables narrow the filter or not, and after a rename; a page merged from each status's claims in
order is the page one sort of them all gives."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.claims.queue import _statements, queue_rows
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


@pytest.mark.parametrize("filters", [{}, {"search": "a"}, {"search": "okafor"}, {"household": "ok"}, {"age": "1"}])
def test_a_page_merged_from_each_statuss_claims_is_the_page_the_database_would_sort(claims, filters):
    world, *_ = claims
    made = [make_claim(world) for _ in range(5)] + claims[3]
    when = made[0].submitted_at - timedelta(days=3)
    for i, claim in enumerate(made):
        claim.status = "second_approval" if i % 2 else "submitted"
        claim.submitted_at = when + timedelta(hours=i // 3)  # some claims sent at the same moment: ordered by number
    db.session.commit()
    values = {"search": "%a%"} if filters.get("search") == "a" else None
    for number in (1, 2, 3, 4, 5):
        shown = queue_rows(world.support, S, number, per_page=2, **filters)
        if not filters:
            count, page, _ = _statements("", "", *[False] * 7)
            offset = (shown.number - 1) * 2
            expected = db.session.execute(page, {"limit": 2, "offset": offset}).all()
            assert [row.id for row in shown.items] == [row[0] for row in expected]
        if values:
            count, page, _ = _statements("", "", False, False, False, False, True, False, False, True)
            expected = db.session.execute(page, {**values, "limit": 2, "offset": (shown.number - 1) * 2}).all()
            assert [row.id for row in shown.items] == [row[0] for row in expected]
        ordered = sorted(made, key=lambda c: (c.submitted_at, c.id))
        matching = [
            c.id for c in ordered if c.id in {row.id for row in queue_rows(world.support, S, 1, 50, **filters).items}
        ]
        assert [row.id for row in shown.items] == matching[(shown.number - 1) * 2 : shown.number * 2]
