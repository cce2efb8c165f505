"""Search across what features offer (hub pages, groups, newsletters) behind one interface.

Each feature registers a `SearchSource` (`register_search_source`) and keeps its entries current with
`index_entry` / `remove_entry` inside its own use cases. Entries live in one table, `search_entries`; the database
does the matching: SQLite's FTS5 (an external-content index, `search_entries_fts`, kept by triggers) in the embedded
default, PostgreSQL's full-text search (a stored English `tsvector` column with a GIN index) in production. Both put the best
matches first (SQLite: bm25 over title and text, title weighted 5×; PostgreSQL: the title's relevance, then the
newest) and read only one page of results, so a search over thousands of entries costs a few index lookups.

Everything searchable is meant for every person who may search (hub pages, groups, newsletters hold no personal
data); a source may still hide entries from a person with `visible_to`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, delete, select, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, IdMixin, db, utcnow

FTS_TABLE = "search_entries_fts"
# The full-text index in either database (SQLite: the FTS5 table and its shadow tables; PostgreSQL: a generated
# tsvector column and its GIN index): derived from `search_entries` by the migration's DDL below, so not in the models.
DERIVED_NAME_PREFIXES = (FTS_TABLE, "ix_search_entries_document", "search_document")
MAX_QUERY_WORDS = 12
PER_PAGE = 20


class SearchEntry(IdMixin, Base):
    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("source", "key"), Index("ix_search_entries_source", "source"))

    source: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    href: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@dataclass(frozen=True)
class SearchSource:
    """`name` is the entries' source (e.g. "hub"); `label` what a person reads beside a result ("Information");
    `visible_to(user)` whether this person may see the source's results at all."""

    name: str
    label: str
    visible_to: Callable[[object], bool] = lambda user: True


@dataclass(frozen=True)
class SearchResult:
    source: str
    label: str
    title: str
    href: str
    snippet: str


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> None:
    _SOURCES[source.name] = source


def index_entry(source: str, key: object, *, title: str, body: str, href: str) -> None:
    """Add or replace one entry, in the caller's transaction. `body` is plain text (no markup)."""
    entry = db.session.scalar(select(SearchEntry).where(SearchEntry.source == source, SearchEntry.key == str(key)))
    if entry is None:
        entry = SearchEntry(source=source, key=str(key))
        db.session.add(entry)
    entry.title, entry.body, entry.href = title[:200], body, href
    db.session.flush()


def remove_entry(source: str, key: object) -> None:
    db.session.execute(delete(SearchEntry).where(SearchEntry.source == source, SearchEntry.key == str(key)))


def _words(query: str) -> list[str]:
    """The words of what was typed: letters and digits only, so nothing the person types is query syntax."""
    return re.findall(r"\w+", query.lower())[:MAX_QUERY_WORDS]


def search(user, query: str, *, page: int = 1, per_page: int = PER_PAGE) -> tuple[list[SearchResult], bool]:
    """The best matches for every word of `query` (each word may be the start of a longer one), best first, among
    the sources this person may see. Returns (one page of results, whether there are more)."""
    words = _words(query)
    sources = [s.name for s in _SOURCES.values() if s.visible_to(user)]
    if not words or not sources:
        return [], False
    offset = max(0, page - 1) * per_page
    if db.engine.dialect.name == "postgresql":
        rows = _search_postgres(words, sources, per_page + 1, offset)
    else:
        rows = _search_sqlite(words, sources, per_page + 1, offset)
    results = [
        SearchResult(source=r.source, label=_SOURCES[r.source].label, title=r.title, href=r.href, snippet=r.snippet)
        for r in rows[:per_page]
    ]
    return results, len(rows) > per_page


def _search_sqlite(words: list[str], sources: list[str], limit: int, offset: int):
    """Rank inside FTS5 and keep one page of ids first; snippets are then made for that page only (SQLite would
    otherwise make one for every match before sorting)."""
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    marks = ", ".join(f":s{i}" for i in range(len(sources)))
    sql = text(
        f"WITH best AS ("
        f"  SELECT {FTS_TABLE}.rowid AS id, bm25({FTS_TABLE}, 5.0, 1.0) AS score FROM {FTS_TABLE} "
        f"  JOIN search_entries e ON e.id = {FTS_TABLE}.rowid "
        f"  WHERE {FTS_TABLE} MATCH :match AND e.source IN ({marks}) "
        f"  ORDER BY score, id LIMIT :limit OFFSET :offset) "
        f"SELECT e.source, e.title, e.href, snippet({FTS_TABLE}, 1, '', '', ' … ', 24) AS snippet "
        f"FROM best JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = best.id JOIN search_entries e ON e.id = best.id "
        f"WHERE {FTS_TABLE} MATCH :match ORDER BY best.score, best.id"
    )
    params = {"match": match, "limit": limit, "offset": offset, **{f"s{i}": s for i, s in enumerate(sources)}}
    return db.session.execute(sql, params).all()


# A stored, generated column (the migration adds it on PostgreSQL only): matching never parses a page again, even
# when the planner reads every row because nearly every page matches.
PG_DOCUMENT = "e.search_document"


def _search_postgres(words: list[str], sources: list[str], limit: int, offset: int):
    """Match on the stored document (GIN index), rank by the title's relevance (a title is a few words; ranking by
    the whole text would parse every matching page again, 2 s for a word on 1,000 pages), newest change next;
    headlines (costly) for the chosen page only."""
    tsquery = " & ".join(f"{w}:*" for w in words)
    # The query is written out (not taken from a CTE) so the planner sees a constant and uses the GIN index.
    query = "to_tsquery('english', :q)"
    sql = text(
        f"WITH best AS ("
        f"  SELECT e.id, ts_rank(to_tsvector('english', coalesce(e.title, '')), {query}) AS score, e.updated_at "
        f"  FROM search_entries e WHERE {PG_DOCUMENT} @@ {query} AND e.source = ANY(:sources) "
        f"  ORDER BY score DESC, e.updated_at DESC, e.id LIMIT :limit OFFSET :offset) "
        f"SELECT e.source, e.title, e.href, ts_headline('english', left(e.body, 3000), {query}, "
        f'\'StartSel="",StopSel="",MaxWords=30,MinWords=10\') AS snippet '
        f"FROM best JOIN search_entries e ON e.id = best.id "
        f"ORDER BY best.score DESC, best.updated_at DESC, best.id"
    )
    return db.session.execute(sql, {"q": tsquery, "sources": sources, "limit": limit, "offset": offset}).all()


# DDL for the index, shared by the migration and by anything building the schema from the models.
SQLITE_INDEX_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, content='search_entries', "
    "content_rowid='id', tokenize='porter unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS search_entries_ai AFTER INSERT ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entries_ad AFTER DELETE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entries_au AFTER UPDATE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
POSTGRES_INDEX_DDL = (
    "ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_entries_document ON search_entries USING gin (search_document)",
)
