"""Names matched anywhere inside, found on SQLite through FTS5 trigram tables kept by triggers (migrations 0022 and
0025): a search reads the rows whose names hold the text instead of every row.

PostgreSQL needs nothing from here: its planner serves LIKE '%text%' from the trigram GIN indexes (migration 0020).
A trigram table only narrows: the search's own LIKE conditions still decide, so results are the same with or without
it. Its matching ignores case (every letter, not only ASCII as SQLite's LIKE does), so it finds at least what the
LIKE conditions accept. One or two characters make no trigram: such a search is left to the LIKE conditions alone.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, ColumnElement, column, select, table
from sqlalchemy.sql.expression import TableClause

from portal.core.db import db

MIN_TRIGRAM = 3  # characters


def _trigrams(name: str, *columns: str) -> TableClause:
    return table(name, column("rowid"), column(name), *(column(c) for c in columns))


CHILDREN = _trigrams("ix_trgm_children_names", "first_name", "last_name", "preferred_name", "case_reference")
USERS = _trigrams("ix_trgm_users_names", "full_name", "email")
HOUSEHOLDS = _trigrams("ix_trgm_households_names", "name", "reference")


def serve(text: str) -> bool:
    """Whether a trigram table narrows a search for `text` here: on SQLite, for three characters or more."""
    return len(text) >= MIN_TRIGRAM and db.session.get_bind().dialect.name == "sqlite"


def phrase(text: str) -> str:
    """`text` as an FTS5 string (in double quotes, any inside doubled): matched as it is, never as a query."""
    return '"' + text.replace('"', '""') + '"'


def holding(
    id_column: ColumnElement, trigrams: TableClause, text: str | BindParameter, within: str = ""
) -> ColumnElement:
    """`id_column IN (ids of the rows of `trigrams` holding `text`)`, in any of its columns or only in `within`.
    `text` is the searched text, or a bound parameter whose value will be `phrase(text)` (for a statement built
    once and run with many values)."""
    matched = trigrams.c[within or trigrams.name]
    value = phrase(text) if isinstance(text, str) else text
    return id_column.in_(select(trigrams.c.rowid).where(matched.op("MATCH")(value)))
