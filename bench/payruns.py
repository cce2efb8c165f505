"""Pay runs at two scales in the same run: 5,000 households / 8,000 children and 50,000 households / 80,000 children.

Targets (issue 12): both complete on PostgreSQL; peak memory under 500 MB; time grows at most linearly (the 50,000
household run within 11x the 5,000 household one, for 10x the data). A trivial page (the sign-in page) is timed in
each process as the baseline, just before and just after each step (BASELINE): each step's ratio between the scales
is divided by its baseline's, and the raw ratios are printed beside it.

Each scale runs in its own process, so its peak resident set (VmHWM, and getrusage's ru_maxrss for the whole process)
is its own. In each: the data is built with bulk inserts (bench/payrun_data.py), a first run is made and confirmed
(so the second has a ledger to look back on), 1% of placements are then changed as if entered late, and the second
run is created, previewed (every line and the fingerprint, as the page does) and confirmed, each step timed.

`python -m bench.payruns` uses SQLite in a temporary directory; set BENCH_DB to a PostgreSQL server URL (for example
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) to use a throw-away database there, dropped afterwards.
BENCH_PAYRUN_SCALES="500:800,5000:8000" chooses other scales (households:children, smallest first).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

SCALES = ((5_000, 8_000), (50_000, 80_000))
MEMORY_LIMIT_MB = 500
TIME_RATIO_LIMIT = 11.0


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current RSS
    except OSError:
        pass


CPU: dict[str, float] = {}  # seconds of this process's own CPU per step (the database server's work excluded)
# The trivial page's seconds (wall, CPU) around each step: half its samples just before the step, half just after.
# A step's ratio between the scales is divided by its baseline's, so a machine that is slower while one scale runs
# (the two run a few minutes apart, and a shared machine's speed moved by up to 1.8x between them) does not count
# as growth.
BASELINE: dict[str, tuple[float, float]] = {}
BASELINE_SAMPLES = 15


def _page_samples(page) -> list[tuple[float, float]]:
    samples = []
    for _ in range(BASELINE_SAMPLES):
        start, cpu = time.perf_counter(), time.process_time()
        page()
        samples.append((time.perf_counter() - start, time.process_time() - cpu))
    return samples


def _timed(fn, name: str | None = None, *, around=None):
    """(seconds, fn()); a named step's CPU goes into CPU, and with `around` (a function fetching the trivial page)
    the page's median times just before and after the step go into BASELINE."""
    before = _page_samples(around) if around else []
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    elapsed = time.perf_counter() - start
    if name:
        CPU[name] = time.process_time() - cpu
    if name and around:
        samples = before + _page_samples(around)
        BASELINE[name] = (statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples))
    return elapsed, out


def _database(server: str | None, tmp: str):
    """A fresh database: SQLite in `tmp`, or a throw-away one on the PostgreSQL server. (url, drop)."""
    if not server:
        return f"sqlite:///{tmp}/bench.db", lambda: None
    from sqlalchemy import create_engine, text

    from portal.core.db import normalise_url

    name = f"hearth_bench_payruns_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{normalise_url(server).rpartition('/')[0]}/{name}", drop


def child(households: int, children: int) -> dict:
    """One scale, in this process: build, then time and measure the pay runs. Prints one JSON line."""
    os.environ.setdefault("HEARTH_ENV", "test")
    from portal.core.security import use_fast_hashing_for_tests

    use_fast_hashing_for_tests()
    from sqlalchemy import update

    from bench.payrun_data import build
    from portal.app import create_app
    from portal.auth.roles import Role
    from portal.cli import migrate_to_head
    from portal.core.db import db
    from portal.payments import runs
    from portal.people.models import Placement
    from tests.factories import make_user

    tmp = tempfile.mkdtemp(prefix="hearth-bench-payruns-")
    url, drop = _database(os.environ.get("BENCH_DB"), tmp)
    try:
        migrate_to_head(url)
        app = create_app(
            {"HEARTH_ENV": "test", "DATABASE_URL": url, "VAR_DIR": tmp, "SECRET_KEY": "bench-" + "x" * 40}
            | {"MAIL_BACKEND": "file"}
        )
        with app.app_context():
            build_s, built = _timed(lambda: build(households, children))
            db.session.commit()
            support = make_user(Role.BUSINESS_SUPPORT, email="bench-support@example.org")
            client = app.test_client()
            baseline = statistics.median(_timed(lambda: client.get("/sign-in"))[0] for _ in range(20))
            page = lambda: client.get("/sign-in").close()  # noqa: E731
            db.session.expunge_all()
            # As a web process does once the app is loaded (wsgi.py): what exists now (the app, its modules and
            # statements) is moved out of the collector's reach, so a full collection walks what the run made.
            gc.collect()
            gc.freeze()
            base_kb = _status_kb("VmRSS")
            load_before = os.getloadavg()[0]
            _reset_peak()

            first_create, first = _timed(lambda: runs.create_pay_run(support), "first_create_s", around=page)
            seen = runs.fingerprint(runs.preview(first))
            first_confirm, _ = _timed(
                lambda: runs.confirm_pay_run(support, first, seen), "first_confirm_s", around=page
            )
            # Late news: 1% of open placements began three days later than recorded (an overpayment to recover).
            db.session.execute(
                update(Placement)
                .where(
                    Placement.id % 100 == 0,
                    Placement.end_date.is_(None),
                    Placement.start_date < built.first_period_start,
                )
                .values(start_date=built.first_period_start + timedelta(days=3))
            )
            db.session.commit()
            db.session.expunge_all()
            create_s, run = _timed(lambda: runs.create_pay_run(support), "create_s", around=page)
            preview_s, seen = _timed(lambda: runs.fingerprint(runs.preview(run)), "preview_s", around=page)
            confirm_s, run = _timed(lambda: runs.confirm_pay_run(support, run, seen), "confirm_s", around=page)
            result = {
                "households": built.households,
                "children": built.children,
                "claims": built.claims,
                "dialect": db.engine.dialect.name,
                "baseline_s": baseline,
                "build_s": build_s,
                "first_create_s": first_create,
                "first_confirm_s": first_confirm,
                "create_s": create_s,
                "preview_s": preview_s,
                "confirm_s": confirm_s,
                "cpu": dict(CPU),
                "step_baseline": dict(BASELINE),
                "load": [load_before, os.getloadavg()[0]],
                "paid_households": run.household_count,
                "total_pence": run.total_pence,
                "base_mb": base_kb / 1024,
                "run_peak_mb": _status_kb("VmHWM") / 1024,
                "process_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
    print(json.dumps(result))
    return result


def _scales() -> list[tuple[int, int]]:
    given = os.environ.get("BENCH_PAYRUN_SCALES")
    if not given:
        return list(SCALES)
    return [tuple(int(x) for x in part.split(":")) for part in given.split(",")]  # type: ignore[misc]


def main() -> list[dict]:
    results = []
    for households, children in _scales():
        out = subprocess.run(
            [sys.executable, "-m", "bench.payruns", "--child", str(households), str(children)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if out.returncode:
            print(out.stdout, out.stderr[-5000:], sep="\n")
            print(f"pay run for {households:,} households failed; finished so far: {json.dumps(results)}")
            raise SystemExit(1)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  ({households:,} households done: {json.dumps(results[-1])})", flush=True)
    print(f"pay runs ({results[0]['dialect']}): second run of two, after 1% of placements changed late")
    for r in results:
        print(f"  {r['households']:,} households, {r['children']:,} children, {r['claims']:,} claims waiting")
        print(f"    trivial page (baseline) {r['baseline_s'] * 1000:8.1f} ms   data built in {r['build_s']:.1f} s")
        for label, key in (
            ("first run: create", "first_create_s"),
            ("first run: confirm", "first_confirm_s"),
            ("create (checks rates)", "create_s"),
            ("preview (lines + fingerprint)", "preview_s"),
            ("confirm (recompute + store)", "confirm_s"),
        ):
            print(
                f"    {label:30s} {r[key]:8.2f} s (CPU here {r['cpu'][key]:7.2f} s)   "
                f"{r[key] / r['step_baseline'][key][0]:10.0f} x the trivial page around it"
            )
        print(
            f"    memory: {r['base_mb']:.0f} MB before the runs, peak {r['run_peak_mb']:.0f} MB during them, "
            f"process peak {r['process_peak_mb']:.0f} MB"
        )
        print(f"    paid {r['total_pence'] / 100:,.2f} pounds to {r['paid_households']:,} households")
        print(
            f"    machine load average {r['load'][0]:.1f} before, {r['load'][1]:.1f} after ({os.cpu_count()} CPUs): "
            "where it is above the CPUs, wall-clock time is mostly waiting for a CPU, and CPU seconds compare better"
        )
    small, large = results[0], results[-1]
    scale = large["households"] / small["households"]
    print(
        f"  ratios, largest / smallest ({scale:g}x the data), each divided by the ratio of the trivial page's time "
        "around that step (raw seconds' ratios in brackets):"
    )
    limit = TIME_RATIO_LIMIT * scale / 10
    for label, key in (("preview", "preview_s"), ("confirm", "confirm_s"), ("create", "create_s")):
        ratio, cpu = large[key] / small[key], large["cpu"][key] / small["cpu"][key]
        (small_wall, small_cpu), (large_wall, large_cpu) = small["step_baseline"][key], large["step_baseline"][key]
        wall_n, cpu_n = ratio / (large_wall / small_wall), cpu / (large_cpu / small_cpu)
        verdict = "met" if wall_n <= limit else "NOT met"
        print(
            f"    {label:8s} {wall_n:6.2f}x wall, {cpu_n:6.2f}x CPU   (raw {ratio:.2f}x wall, {cpu:.2f}x CPU; "
            f"baseline {large_wall / small_wall:.2f}x)   target at most {limit:g}x: {verdict}"
        )
    peak = max(r["process_peak_mb"] for r in results)
    print(
        f"    peak memory {peak:.0f} MB (target under {MEMORY_LIMIT_MB} MB: {'met' if peak < MEMORY_LIMIT_MB else 'NOT met'})"
    )
    return results


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
