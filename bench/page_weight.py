"""First-load weight of the carer's home page against the 60 KB budget, and its render time against /healthz."""

from __future__ import annotations

import gzip
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

BUDGET_BYTES = 60 * 1024
ROUNDS = 200
ASSET_LINK = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|modulepreload)"[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def gzipped(data: bytes) -> int:
    # Level 6: what nginx, most CDNs and Python's default use.
    return len(gzip.compress(data, compresslevel=6))


def demo_app(workdir: Path):
    """A throw-away SQLite copy of the demo service, so the figures do not depend on local data."""
    os.environ.setdefault("HEARTH_ENV", "test")
    from portal.core.security import use_fast_hashing_for_tests

    use_fast_hashing_for_tests()  # the demo accounts are made quickly; hashing is not what is measured here
    from portal.app import create_app
    from portal.cli import migrate_to_head
    from portal.core.db import db
    from portal.demo import load_demo_data

    url = f"sqlite:///{workdir / 'bench.db'}"
    migrate_to_head(url)
    app = create_app(
        {
            "HEARTH_ENV": "test",
            "DATABASE_URL": url,
            "VAR_DIR": str(workdir / "var"),
            "SECRET_KEY": "bench-" + "x" * 40,
            "JOBS_IMMEDIATE": "true",
        }
    )
    with app.app_context():
        load_demo_data()
        db.session.commit()
        db.session.remove()
    return app


def sign_in(client, email: str) -> None:
    from portal.demo import DEMO_PASSWORD

    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"could not sign in as {email}"


def first_load(client, path: str) -> list[tuple[str, int, int]]:
    """(url, raw bytes, gzipped bytes) for the page and every stylesheet and script it loads, imports included."""
    html = client.get(path).get_data()
    rows = [(path, len(html), gzipped(html))]
    queue, seen = ASSET_LINK.findall(html.decode()), set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        body = response.get_data()
        response.close()
        rows.append((url, len(body), gzipped(body)))
        if url.endswith(".js"):  # module imports are fetched too
            base = url.rsplit("/", 1)[0]
            queue += [f"{base}/{name.decode()}" for name in re.findall(rb'from\s*"\./([^"]+)"', body)]
    return rows


def median_seconds(client, path: str, rounds: int = ROUNDS) -> float:
    for _ in range(10):  # warm up caches and connections
        client.get(path)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
    return statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        app = demo_app(Path(tmp))
        client = app.test_client()
        sign_in(client, "carer@example.org")

        rows = first_load(client, "/")
        total = sum(z for _, _, z in rows)
        print("First load of the carer's home page (gzip level 6):")
        for url, raw, zipped in rows:
            print(f"  {url:<48} {raw / 1024:7.1f} KB raw  {zipped / 1024:6.1f} KB gzipped")
        verdict = "within" if total <= BUDGET_BYTES else "OVER"
        print(
            f"  {'total':<48} {'':18}{total / 1024:6.1f} KB — {verdict} the {BUDGET_BYTES // 1024} KB budget "
            f"({total / BUDGET_BYTES:.0%})"
        )

        home = median_seconds(client, "/")
        baseline = median_seconds(client, "/healthz")
        print(
            f"Render time, median of {ROUNDS}: carer home {home * 1000:.2f} ms, /healthz {baseline * 1000:.2f} ms "
            f"→ ratio {home / baseline:.1f}× the trivial page"
        )
