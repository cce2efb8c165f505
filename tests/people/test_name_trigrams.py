"""People and households found by part of a name: the same rows, in the same order, whether SQLite's trigram tables
narrow the search or not; and the trigram tables follow a rename."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.admin.queries import search_users
from portal.auth.roles import Role
from portal.core import trigrams
from portal.core.db import db
from portal.core.pagination import paginate
from portal.people.lookups import find_households, find_people
from tests.factories import make_household, make_user

TYPED = [
    "zoë",
    "ZOË",
    "Zoë",
    "renée",
    "okafor",
    "OKAF",
    "kaf",
    "o",
    "ok",
    "zo",
    "ë",
    "household",
    "FH-T",
    "e.org",
    "a b",
]


@pytest.fixture
def named(app):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    people = [
        make_user(Role.CARER, name="Zoë Okafor", email="zoe.okafor@example.org"),
        make_user(Role.CARER, name="Renée Adeyemi", email="renee@example.org"),
        make_user(Role.CARER, name="ZOË BAKER", email="zb@example.org"),
        make_user(Role.CARER, name="Sam Okafor-Reid", email="sam@example.org"),
    ]
    households = [
        make_household(name="Okafor household"),
        make_household(name="Zoë's household"),
        make_household(name="Renée household"),
    ]
    return admin, people, households


def _everywhere(monkeypatch, search):
    """What `search()` returns with the trigram tables narrowing it (on SQLite) and without them (LIKE alone)."""
    narrowed = search()
    with monkeypatch.context() as m:
        m.setattr(trigrams, "serve", lambda typed: False)
        scanned = search()
    return narrowed, scanned


@pytest.mark.parametrize("typed", TYPED)
def test_a_name_search_finds_the_same_people_and_households_in_the_same_order(named, monkeypatch, typed):
    admin, _, _ = named
    for search in (
        lambda: [u.id for u in paginate(search_users(admin, typed), 1).items],
        lambda: [u.id for u in paginate(search_users(admin, typed, Role.CARER), 1).items],
        lambda: [u.id for u in find_people("carers", typed)],
        lambda: [h.id for h in find_households(admin, typed)],
    ):
        narrowed, scanned = _everywhere(monkeypatch, search)
        assert narrowed == scanned


def test_part_of_a_name_with_accents_finds_the_person_in_any_case_the_database_folds(named):
    admin, (zoe, renee, zoe_baker, sam), _ = named
    assert [u.id for u in paginate(search_users(admin, "okafor"), 1).items] == [sam.id, zoe.id]
    assert [u.id for u in paginate(search_users(admin, "renée"), 1).items] == [renee.id]
    assert [u.id for u in find_people("carers", "zoë okaf")] == [zoe.id]
    assert zoe_baker.id in [u.id for u in find_people("carers", "BAKER")]


def test_one_or_two_letters_are_matched_without_the_trigram_tables(named):
    admin, (zoe, renee, zoe_baker, sam), households = named
    assert not trigrams.serve("ok") and not trigrams.serve("z")
    # The admin's list matches anywhere; the type-ahead at the start of a word (portal.people.lookups).
    assert {u.id for u in paginate(search_users(admin, "ka"), 1).items} == {zoe.id, sam.id}
    assert [u.id for u in find_people("carers", "ok")] == [sam.id, zoe.id]
    assert [h.id for h in find_households(admin, "ok")] == [households[0].id]


def test_the_trigram_tables_follow_a_renamed_person_and_household(named):
    admin, (zoe, *_), (okafor, *_) = named
    zoe.full_name, zoe.email = "Zoë Whitfield", "zoe.whitfield@example.org"
    okafor.name, okafor.reference = "Whitfield household", "FH-W1"
    db.session.commit()
    assert [u.id for u in paginate(search_users(admin, "whitfield"), 1).items] == [zoe.id]
    assert zoe.id not in [u.id for u in paginate(search_users(admin, "zoe.okafor"), 1).items]
    assert [h.id for h in find_households(admin, "whitf")] == [okafor.id]
    assert [h.id for h in find_households(admin, "FH-W1")] == [okafor.id]
    assert okafor.id not in [h.id for h in find_households(admin, "okafor")]


@pytest.mark.sqlite_only  # the trigram tables are SQLite's (migration 0025)
def test_the_trigram_tables_hold_each_row_as_it_is_now(named):
    _, (zoe, *_), (okafor, *_) = named
    zoe.full_name = "Zoë Whitfield"
    okafor.reference = "FH-W2"
    db.session.commit()
    for fts in ("ix_trgm_users_names", "ix_trgm_households_names"):
        # 'integrity-check' with a rank compares an external-content table with its content table row by row.
        db.session.execute(text(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)"))

    def matching(fts: str, typed: str) -> list[int]:
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :p ORDER BY rowid"
        return list(db.session.scalars(text(sql), {"p": trigrams.phrase(typed)}))

    assert matching("ix_trgm_users_names", "whitfield") == [zoe.id]
    assert matching("ix_trgm_users_names", "zoë okafor") == []
    assert matching("ix_trgm_households_names", "fh-w2") == [okafor.id]
    db.session.delete(zoe)
    db.session.commit()
    assert matching("ix_trgm_users_names", "whitfield") == []


@pytest.mark.postgres_only  # PostgreSQL's trigram indexes (migration 0020)
def test_on_postgresql_the_admins_search_can_be_answered_from_the_trigram_indexes(named):
    admin = named[0]
    compiled = search_users(admin, "okafor").compile(db.engine)
    conn = db.session.connection()
    # A test's few rows would be scanned whatever the indexes: with scans off, only an index the search can use is left.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    assert "ix_trgm_users_full_name" in plan and "ix_trgm_users_email" in plan
