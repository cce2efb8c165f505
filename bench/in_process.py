"""Hearth in this process for benchmarks: a throw-away database, a test client signed in, and medians of page times.

Pages are timed against a trivial page measured in the same run (`interleaved_medians` takes the pages in turn, so
a shared machine slowing down touches the baseline and the pages alike); figures are ratios, not seconds.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from pathlib import Path

ROUNDS = 150


def make_app(workdir: Path, database_url: str | None = None):
    """A Hearth app on a new SQLite file in `workdir` (or `database_url`, else HEARTH_BENCH_DB when set), migrated
    to head. Raises alembic's errors when the database cannot be migrated."""
    from portal.app import create_app
    from portal.cli import migrate_to_head

    url = database_url or os.environ.get("HEARTH_BENCH_DB") or f"sqlite:///{workdir / 'bench.db'}"
    migrate_to_head(url)
    return create_app(
        {"HEARTH_ENV": "test", "DATABASE_URL": url, "VAR_DIR": str(workdir / "var"), "SECRET_KEY": "bench-" + "x" * 40}
    )


def demo_app(workdir: Path):
    """`make_app` with the demo service loaded and its queued work (photos, PDFs) done by a worker in this process."""
    from portal.core.db import db
    from portal.core.security import use_fast_hashing_for_tests
    from portal.demo import load_demo_data
    from tests.jobs import drain_jobs

    use_fast_hashing_for_tests()  # the demo accounts are made quickly; hashing is not what is measured
    app = make_app(workdir)
    with app.app_context():
        load_demo_data()
        db.session.commit()
        db.session.remove()
    drain_jobs(app)
    return app


def sign_in(client, email: str, password: str | None = None) -> None:
    """Sign the test client in with a password (the demo's unless given). AssertionError when it is refused."""
    from portal.demo import DEMO_PASSWORD

    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": email, "password": password or DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"could not sign in as {email}: {response.status_code}"


def median_seconds(client, path: str, rounds: int = ROUNDS) -> float:
    """Median seconds to fetch `path` after a warm-up. AssertionError unless it answers 200."""
    return interleaved_medians(client, {path: path}, rounds)[path]


def interleaved_medians(client, paths: dict[str, str], rounds: int = ROUNDS) -> dict[str, float]:
    """Median seconds of every path ({name: path}), the requests taken in turn round after round. AssertionError
    unless each answers 200."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for path in paths.values():
        response = client.get(path)  # warm, and check
        assert response.status_code == 200, f"{path}: {response.status_code} {response.location}"
    for _ in range(rounds):
        for name, path in paths.items():
            started = time.perf_counter()
            client.get(path)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}
