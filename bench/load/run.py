"""The load test, run by hand (never in CI): 200 carers and 20 staff on gunicorn + PostgreSQL + Redis, on loopback.

What it does, in a temporary directory it removes at the end:
1. starts a Redis of its own on a free loopback port (no persistence), for the job queue and the throttles;
2. creates a throw-away PostgreSQL database on `LOAD_POSTGRES_URL`'s server (default: the test server,
   postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and drops it at the end;
3. `flask migrate`, `flask demo-data`, then `bench.load.people` (the carers and staff who sign in);
4. starts the Procfile's web server (gunicorn, 2 workers) and job worker against them;
5. runs locust headless (`bench/load/locustfile.py`): people arrive one a second and sign in (220 s), then the
   statistics start afresh and run for `--minutes` (default 5); every simulated person thinks 5–15 s between
   steps, so the number of requests is bounded by people × minutes;
6. prints p50, p95 and failures per request and overall, and exits non-zero unless p95 < 500 ms with no failures.

    python -m bench.load.run [--minutes 5] [--carers 200 --staff 20 are fixed in bench/load/people.py]
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.page_weight import BIN, ROOT, free_port, request
from bench.throughput import Gunicorn

P95_BUDGET_MS = 500
USERS = 220
# People sign in as they arrive, one a second (a password check is deliberately slow: Argon2id), and the statistics
# start again once everyone is in (locust --reset-stats): what is measured is the journeys of signed-in people.
SPAWN_RATE = 1
RAMP_S = USERS / SPAWN_RATE
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class Process:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _psycopg_url(url: str) -> str:
    return url.replace("+psycopg", "", 1)


def create_database(server_url: str) -> str:
    import psycopg

    name = f"hearth_load_{secrets.token_hex(4)}"
    with psycopg.connect(_psycopg_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_psycopg_url(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def procfile_command(kind: str) -> list[str]:
    line = next(ln for ln in (ROOT / "Procfile").read_text().splitlines() if ln.startswith(f"{kind}:"))
    args = line.split(":", 1)[1].split()
    return [str(BIN / args[0]), *args[1:]]


def report(stats_csv: Path, minutes: float) -> bool:
    rows = list(csv.DictReader(stats_csv.open()))
    print(
        f"Load test: 200 carers and 20 staff signed in, 5–15 s between steps, {minutes:g} minutes "
        f"(gunicorn, PostgreSQL, Redis); machine load average at the end: {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'request':<34} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    total = None
    for row in rows:
        line = (
            f"  {row['Name'] if row['Name'] != 'Aggregated' else 'all requests':<34} {row['Request Count']:>6} "
            f"{row['Failure Count']:>5} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):7.0f}"
        )
        if row["Name"] == "Aggregated":
            total = row
        else:
            print(line)
    if total is None:
        print("  no requests were made")
        return False
    print(line)
    p95, failures = float(total["95%"]), int(total["Failure Count"])
    rate = float(total["Requests/s"])
    ok = p95 < P95_BUDGET_MS and failures == 0
    print(
        f"  overall: {total['Request Count']} requests ({rate:.1f}/s), p50 {total['50%']} ms, p95 {p95:.0f} ms "
        f"(budget < {P95_BUDGET_MS} ms), {failures} failures — {'ok' if ok else 'NOT MET'}"
    )
    return ok


def main() -> bool:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    server_url = os.environ.get("LOAD_POSTGRES_URL", DEFAULT_SERVER)
    with tempfile.TemporaryDirectory(prefix="hearth-load-") as tmp:
        workdir = Path(tmp)
        redis_port = free_port()
        processes: list[Process | Gunicorn] = []
        database = None
        try:
            redis = Process(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                dict(os.environ),
                workdir / "redis.log",
            )
            processes.append(redis)
            database = create_database(server_url)
            env = {
                **os.environ,
                "HEARTH_ENV": "demo",
                "VAR_DIR": str(workdir / "var"),
                "DATABASE_URL": database,
                "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            }
            steps = (["flask", "--app", "wsgi", "migrate"], ["flask", "--app", "wsgi", "demo-data"])
            for step in steps:
                subprocess.run([str(BIN / step[0]), *step[1:]], cwd=ROOT, env=env, check=True, capture_output=True)
            subprocess.run([str(BIN / "python"), "-m", "bench.load.people"], cwd=ROOT, env=env, check=True)
            port = free_port()
            web = Gunicorn("wsgi:app", port, env, workdir / "web.log")
            processes.append(web)
            processes.append(Process(procfile_command("worker"), env, workdir / "worker.log"))
            web.wait_ready("/healthz")
            assert request(port, "GET", "/healthz", {}).status == 200
            started = time.monotonic()
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench/load/locustfile.py"),
                    "--headless",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(SPAWN_RATE),
                    "--run-time",
                    f"{int(RAMP_S + args.minutes * 60)}s",
                    "--reset-stats",
                    "--stop-timeout",
                    "20",
                    "--csv",
                    str(workdir / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**env, "PYTHONPATH": str(ROOT)},
                check=False,
            )
            print(f"(locust ran {time.monotonic() - started:.0f} s)")
            return report(workdir / "load_stats.csv", args.minutes)
        finally:
            for process in reversed(processes):
                process.stop()
            if database:
                drop_database(server_url, database)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
