"""The database: declarative Base with a naming convention, one engine per app, a request-scoped session."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlalchemy import DateTime, Integer, MetaData, create_engine, event, false, literal
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _OfOneColumn(FunctionElement):
    """A function of one column, of that column's type; each dialect's SQL is written by `@compiles`."""

    inherit_cache = True

    def __init__(self, column) -> None:
        super().__init__(column)
        self.type = column.type


class unindexed(_OfOneColumn):
    """`column`'s value, which SQLite's planner may not look up through an index: written with SQLite's unary `+`
    ("Disqualifying WHERE clause terms using unary-+", sqlite.org/optoverview.html), as itself elsewhere.

    For a condition that an index would serve badly but SQLite, planning without statistics, would still choose
    it for (an equality on a column with few values); PostgreSQL plans from its statistics."""

    inherit_cache = True
    name = "unindexed"


@compiles(unindexed)
def _unindexed(element, compiler, **kw) -> str:
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw) -> str:
    return "+" + compiler.process(element.clauses.clauses[0], **kw)


class start_of_year(_OfOneColumn):
    """The first of January of a date's year, as a date (SQLite keeps dates as ISO text, so its own `date()`
    gives one that compares with them; PostgreSQL truncates). Lets a statement step from year to year through a
    date index instead of grouping every row."""

    inherit_cache = True
    name = "start_of_year"


@compiles(start_of_year)
def _start_of_year(element, compiler, **kw) -> str:
    return f"CAST(date_trunc('year', {compiler.process(element.clauses.clauses[0], **kw)}) AS DATE)"


@compiles(start_of_year, "sqlite")
def _start_of_year_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses.clauses[0], **kw)}, 'start of year')"


def fixed_in(column, values) -> ColumnElement[bool]:
    """`column IN (values)` for a list fixed when a statement is built once (statuses, kinds), with one plain
    placeholder per value. SQLAlchemy's own `in_` treats a list as "expanding" and renders the statement's SQL anew
    on every run, which costs more than running it on a page's small statements. An empty list matches nothing."""
    values = list(values)
    return column.in_([literal(v, column.type) for v in values]) if values else false()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTC(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: use portal.core.db.utcnow()")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTC}


class IdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # foreign keys are off by default in SQLite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _session_scope() -> int:
    """One session per application context: a job run in a fresh context never shares the caller's session."""
    from flask.globals import _cv_app

    ctx = _cv_app.get(None)
    return id(ctx) if ctx is not None else threading.get_ident()


class Database:
    """Holds the engine and a session per application context (a request, a job or a command)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._factory = sessionmaker(expire_on_commit=False)
        self.session: scoped_session[Session] = scoped_session(self._factory, scopefunc=_session_scope)

    def init_app(self, app) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self._factory.configure(bind=self.engine)
        app.extensions["hearth_db"] = self

        @app.teardown_appcontext
        def _remove_session(_exc):
            self.session.remove()

    @property
    def dialect(self) -> str:
        assert self.engine is not None
        return self.engine.dialect.name


db = Database()
