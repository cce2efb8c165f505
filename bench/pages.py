"""Every page of every role at 100× the data against 1×: the cost of a page depends on what it shows, not on how
much the service holds (issue 12's target: each page within 1.2× of its cost at 1×).

The pages are the authorization matrix's GET rows (tests/security/matrix_*.py), each fetched as every role that may
see it, in the world the matrix builds for it (grouped by feature set-up, as tests/test_query_budgets.py does).
Each group's world gets bench.generate's data at 1×, anchored to its household A, child A, SSW and child's social
worker; every page is timed; then 99× more data, and every page is timed again. A trivial page (the accessibility
statement, signed out) is timed beside them at both sizes, and each page's growth is divided by the trivial page's,
so a machine that is busier in the second half does not count against the pages.

Timings are the fastest of ROUNDS requests through the app in this process (no network), after one warm-up.
`python -m bench.pages` (SQLite in a temporary directory; BENCH_DB=<PostgreSQL URL> for PostgreSQL; BENCH_SCALE=N
for another large size).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict

ROUNDS = 5
TARGET = 1.2
TRIVIAL = "/accessibility"


def _fastest(client, url: str) -> float:
    client.get(url).close()
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        response.get_data()
        response.close()
        best = min(best, time.perf_counter() - start)
    return best


def _timings(shared, cases, plain) -> dict:
    """Each request in its own app context and database session, as on a server (the world's context is set aside)."""
    from portal.core.db import db
    from tests.test_query_budgets import _viewers

    urls = [(case.endpoint, role, case.url(shared.world, "own")) for case in cases for role in _viewers(case)]
    db.session.remove()
    shared._context.pop()
    try:
        out = {("trivial", None): _fastest(plain[None], TRIVIAL)}
        for endpoint, role, url in urls:
            out[(endpoint, role)] = _fastest(plain[role], url)
        out[("trivial", "after")] = _fastest(plain[None], TRIVIAL)
    finally:
        shared._context.push()
    return out


def _plain_clients(shared) -> dict:
    """Clients without the tests' page checks (which parse every page), sharing each role's signed-in cookies."""
    from flask.testing import FlaskClient

    plain = {}
    for role, client in shared.clients.items():
        twin = FlaskClient(shared.app, shared.app.response_class, use_cookies=True)
        twin._cookies = dict(client._cookies)
        plain[role] = twin
    return plain


def main() -> None:
    os.environ.setdefault("HEARTH_ENV", "test")
    from bench.generate import generate
    from portal.cli import migrate_to_head
    from portal.core.db import db
    from tests.security.test_authorization_matrix import SharedWorld
    from tests.test_query_budgets import _anchors, _groups

    scale = int(os.environ.get("BENCH_SCALE", "100"))
    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DB") or f"sqlite:///{tmp}/bench.db"
    migrate_to_head(url)
    shared = SharedWorld(url, f"{tmp}/var")
    rows = []
    try:
        for cases in _groups():
            shared._dirty = True
            world = shared.world_for(cases[0])
            plain = _plain_clients(shared)
            generate(1, db.session, _anchors(world))
            db.session.commit()
            small = _timings(shared, cases, plain)
            started = time.perf_counter()
            generate(scale - 1, db.session, _anchors(world))
            db.session.commit()
            made = time.perf_counter() - started
            large = _timings(shared, cases, plain)
            group = cases[0].setup.__name__.strip("_") if cases[0].setup else "plain"
            print(f"[{group}: {len(small) - 2} pages; {scale - 1}× more data in {made:.1f} s]", file=sys.stderr)
            base_small = min(small[("trivial", None)], small[("trivial", "after")])
            base_large = min(large[("trivial", None)], large[("trivial", "after")])
            for key, t1 in small.items():
                if key[0] == "trivial":
                    continue
                t100 = large[key]
                rows.append((key[0], key[1].value, t1, t100, (t100 / base_large) / (t1 / base_small)))
            rows.append(("(trivial page)", group, base_small, base_large, 1.0))
    finally:
        shared.close()
    print(f"Pages at {scale}× against 1× the data ({url.split(':')[0]}), fastest of {ROUNDS}, ms")
    print(f"{'page':45} {'role':28} {'1×':>8} {f'{scale}×':>8} {'ratio':>6}")
    worst = defaultdict(float)
    for endpoint, role, t1, t100, ratio in sorted(rows, key=lambda r: -r[4]):
        flag = "  over" if ratio > TARGET else ""
        print(f"{endpoint:45} {role:28} {t1 * 1000:8.1f} {t100 * 1000:8.1f} {ratio:6.2f}{flag}")
        worst[endpoint] = max(worst[endpoint], ratio)
    over = sorted(e for e, r in worst.items() if r > TARGET)
    print(f"{len(worst)} pages; {len(over)} over {TARGET}×: {', '.join(over) or 'none'}")


if __name__ == "__main__":
    main()
