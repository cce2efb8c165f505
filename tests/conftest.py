"""Test set-up: a real database (SQLite, or PostgreSQL when HEARTH_TEST_DB holds its URL) migrated once per run,
a fresh app per test with CSRF on, and a page-checking client."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from portal.core.security import use_fast_hashing_for_tests

os.environ.setdefault("HEARTH_ENV", "test")
use_fast_hashing_for_tests()

from portal.app import create_app  # noqa: E402
from portal.cli import migrate_to_head  # noqa: E402
from portal.core.db import db, normalise_url  # noqa: E402
from portal.models import metadata  # noqa: E402
from tests.mail import read_mail  # noqa: E402,F401  (kept importable from here)
from tests.pages import PageClient  # noqa: E402

ON_SQLITE = os.environ.get("HEARTH_TEST_DB", "sqlite") == "sqlite"


def _reuse_url_builders() -> None:
    """Every test makes its own app, and werkzeug parses each of its ~260 routes and writes and compiles two
    URL-building functions for each (most of create_app's ~70 ms). What it makes depends on the rule's text, host or
    subdomain and defaults alone (a builder takes the rule as its first argument), and every app here has the same
    routes and converters: a rule identical to one an earlier app had is given what was made for that one."""
    from werkzeug.routing.rules import Rule

    compile_rule = Rule.compile
    made: dict = {}

    def compile_once(self) -> None:
        domain = self.host if self.map.host_matching else self.subdomain
        defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
        key = (self.rule, domain, self.merge_slashes, defaults)
        if key not in made:
            compile_rule(self)
            made[key] = (self._parts, self._trace, self._converters, self._build.__func__, self._build_unknown.__func__)
            return
        self._parts, self._trace, self._converters, build, build_unknown = made[key]
        self._build, self._build_unknown = build.__get__(self, None), build_unknown.__get__(self, None)

    Rule.compile = compile_once


def _one_engine_per_database() -> None:
    """A server process makes one engine and keeps it: SQLAlchemy caches each statement's compiled SQL on its engine
    and opens connections once. Every test makes its own app, and an engine per app compiled every statement again
    (a seventh of the suite's time) and connected anew. Apps for the same database URL are given the same engine;
    each test still leaves the tables empty, and `engine.dispose()` (which some tests call) only closes its
    connections."""
    import portal.core.db as database

    made_for = database.make_engine
    engines: dict = {}

    def make_engine(url: str):
        if url not in engines:
            engines[url] = made_for(url)
        return engines[url]

    database.make_engine = make_engine


_reuse_url_builders()
_one_engine_per_database()
_skipped_in_ci: list[str] = []


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (real concurrent transactions, database triggers) skip on the SQLite run, and
    SQLite-only tests (SQLite's query plans) on the PostgreSQL run; long tests are run first."""
    marker, reason = (
        ("postgres_only", "needs PostgreSQL: runs in the PostgreSQL pass")
        if ON_SQLITE
        else ("sqlite_only", "checks SQLite's own behaviour: runs in the SQLite pass")
    )
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker(marker):
            item.add_marker(skip)
    # Tests that take tens of seconds each go first: pytest-xdist hands tests out in this order, and one of them
    # started last keeps a worker busy minutes after the other has run out of work.
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in ("long", "production_shaped")))


def pytest_runtest_logreport(report):
    """In CI a skip means a missing tool (Chromium, clamd, exiftool, ffmpeg, LibreOffice): that is a failure. Only the
    PostgreSQL-only tests may skip, and only on the SQLite run (and the SQLite-only ones on the PostgreSQL run)."""
    allowed = "postgres_only" if ON_SQLITE else "sqlite_only"
    if os.environ.get("CI") and report.skipped and allowed not in report.keywords:
        _skipped_in_ci.append(f"{report.nodeid}: {report.longrepr[-1] if isinstance(report.longrepr, tuple) else ''}")


def pytest_sessionfinish(session, exitstatus):
    if _skipped_in_ci and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped_in_ci:
        terminalreporter.section("skipped in CI (a missing tool fails the run)")
        for line in _skipped_in_ci:
            terminalreporter.write_line(line)


def _postgres_database(admin_url: str):
    """A throw-away database on the given server, dropped at the end of the run."""
    name = f"hearth_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A throw-away database need not survive a crash: commits stop waiting for the disk (fsync), which is most
        # of a commit's time on a virtual machine's disk, and tests commit on nearly every request.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    base, _, _ = normalise_url(admin_url).rpartition("/")
    return f"{base}/{name}", lambda: _drop(admin, name)


def _drop(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    target = os.environ.get("HEARTH_TEST_DB", "sqlite")
    if target == "sqlite":
        url, cleanup = f"sqlite:///{tmp_path_factory.mktemp('db') / 'hearth.db'}", lambda: None
    else:
        url, cleanup = _postgres_database(target)
    migrate_to_head(url)  # the schema under test is the one the migrations build
    yield url
    cleanup()


def base_app_config(database_url: str, var_dir) -> dict:
    """The settings every test app starts from (also for apps shared by a module, such as the matrix's)."""
    return {
        "HEARTH_ENV": "test",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "MAIL_BACKEND": "file",
    }


@pytest.fixture
def app_config(database_url, tmp_path):
    """Override or extend in a test module to change settings for its tests."""
    return base_app_config(database_url, tmp_path / "var")


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = PageClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()  # the engine and its idle connections stay for the next test (_one_engine_per_database)


def _empty_tables() -> None:
    """DELETE in dependency order (a TRUNCATE of every table costs ~0.3 s on PostgreSQL, DELETE ~0.01 s); the
    append-only audit table refuses DELETE by trigger, so it alone is truncated; ids start again from 1. On
    PostgreSQL it all goes as one string of statements: one round trip instead of ~150, after every test."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name != "postgresql":  # SQLite reuses rowids of an empty table by itself
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            return
        statements = [f'TRUNCATE "{t}"' if t == "audit_events" else f'DELETE FROM "{t}"' for t in tables]
        statements.append(
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
        )
        conn.exec_driver_sql("; ".join(statements))


@pytest.fixture
def demo(app) -> None:
    """The demo service in this test's database and files, its queued work done: loaded once per test process and
    put back for each test that asks (tests.demo_copy)."""
    from tests.demo_copy import DEMO

    DEMO.put_into(app)


@pytest.fixture
def client(app) -> PageClient:
    return app.test_client()


@pytest.fixture
def mail_dir(app):
    from pathlib import Path

    return Path(app.config["VAR_DIR"]) / "mail"
