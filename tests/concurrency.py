"""Work run in threads released at the same moment, each with its own database session, as concurrent requests."""

from __future__ import annotations

import threading

from portal.core.db import db


def run_together(app, work, count: int, *, start_timeout: float = 20, finish_timeout: float = 60) -> list:
    """Run work(i) for i in range(count), one thread each, released together. Returns each result, or the
    exception it raised, in the order of i."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(i):
        with app.app_context():
            try:
                barrier.wait(timeout=start_timeout)
                results[i] = work(i)
            except Exception as exc:  # noqa: BLE001 - the outcome is what the caller checks
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=finish_timeout)
    return results
