"""The schema: one Alembic head, and a database migrated to head matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from portal.cli import alembic_config
from portal.core.db import normalise_url
from portal.core.search import DERIVED_NAME_PREFIXES
from portal.models import metadata


def test_alembic_has_exactly_one_head(database_url):
    heads = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
    assert len(heads) == 1, f"migrations have several heads {heads}: merge them or fix down_revision"


def test_database_migrated_to_head_matches_the_models(database_url):
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as conn:
            opts = {"compare_type": True, "render_as_batch": True, "include_name": _not_search_index}
            context = MigrationContext.configure(conn, opts=opts)
            head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
            assert context.get_current_revision() == head
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert not diff, "models and migrations differ; regenerate the migration:\n" + "\n".join(map(str, diff))


def _not_search_index(name, type_, _parents) -> bool:
    """The search index (SQLite: an FTS5 table, its shadow tables and triggers; PostgreSQL: an expression index) is
    derived from `search_entries` by DDL the migration runs, and the type-ahead's trigram indexes (PostgreSQL, where
    pg_trgm may be created: migration 0020) likewise; they have no model to compare with."""
    return not (name and name.startswith((*DERIVED_NAME_PREFIXES, "ix_trgm_")))
