"""Requests per second for Hearth's busiest pages, as a share of a trivial Flask app's rate measured in the same run.

Both apps are served by the Procfile's `web:` command (gunicorn, 2 workers) on a loopback port; Hearth with a
throw-away `VAR_DIR` holding the demo service (SQLite), the baseline is `bench/trivial_app.py`. The client sends
real HTTP requests from a few threads, each on a kept-alive connection (as a load balancer or a browser holds them)
that stays open from burst to burst, in short bursts that take turns between the targets, so a busy machine slows
every target alike and the ratio stays meaningful. Each target is warmed up first (`WARM_UP`).
It is bounded: `ROUNDS` × `BURST` requests per target, nothing else.

Targets (issue 12: each page at ≥ 12 % of the trivial app's rate): the carer's home page, the carer's claims list,
a child's memory-box timeline (the carer's first child) and business support's claims queue; `/healthz` is shown
for reference.

`python -m bench.throughput` prints each target's rate and its share of the baseline's, by wall time and by the
server's CPU time (see `report`), with the least, median and most of the rounds' shares by CPU; it exits non-zero
if a page is below its target or any request failed.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.page_weight import BIN, BROWSER_HEADERS, REQUEST_TIMEOUT_S, ROOT, Browser, free_port, request, sign_in

ROUNDS = 6
BURST = 40  # requests per Hearth page per round
BASELINE_BURST = 400  # the baseline is ten times faster: the same time per burst, not one dominated by start-up
CLIENTS = 4  # concurrent connections: two per worker, so a worker never waits for the client
# Requests to each target before the rounds. Each worker process compiles a page's templates and each of its threads
# opens its own database connection on first use: with only a few requests to warm up, that start-up (tens of ms a
# worker) was spread over the rounds' 240 requests and counted as the page's cost, up to 1.5 ms a request.
WARM_UP = 100
TARGET_SHARE = 0.12
START_TIMEOUT_S = 120


@dataclass
class Target:
    name: str
    server: str  # "hearth" or "trivial"
    path: str
    cookies: dict[str, str] = field(default_factory=dict)
    done: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # used by the server's processes (master and workers) during the bursts
    failures: int = 0
    rounds: list[tuple[int, float]] = field(default_factory=list)  # (requests, server CPU seconds) of each round
    # The clients' connections, kept open from one burst to the next as a load balancer keeps them: each burst
    # opening new ones cost the server about as much as ten of Hearth's requests, counted against the page.
    connections: list[http.client.HTTPConnection] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def cpu_rate(self) -> float:
        """Requests per second of server CPU: the rate the server would reach with the CPU to itself."""
        return self.done / self.cpu_seconds if self.cpu_seconds else 0.0


def procfile_web_command(port: int, app: str) -> list[str]:
    """The Procfile's `web:` line with its port filled in and, for the baseline, another WSGI app."""
    line = next(ln for ln in (ROOT / "Procfile").read_text().splitlines() if ln.startswith("web:"))
    args = shlex.split(line.split(":", 1)[1].replace("$PORT", str(port)))
    args = [app if a == "wsgi:app" else a for a in args]
    if "--access-logfile" in args:  # the same for both servers; the log is not what is measured
        i = args.index("--access-logfile")
        del args[i : i + 2]
    return [str(BIN / args[0]), *args[1:]]


class Gunicorn:
    def __init__(self, app: str, port: int, env: dict[str, str], log: Path) -> None:
        self.port, self.log = port, log
        self.process = subprocess.Popen(
            procfile_web_command(port, app),
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                if request(self.port, "GET", path, {}).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer on port {self.port}; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by every process in the server's session: master and workers."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            if int(fields[3]) == self.process.pid:  # field 6, the session id (the master leads the session)
                total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def sign_in_staff(browser: Browser, email: str) -> None:
    import pyotp

    from portal.demo import DEMO_TOTP_SECRET

    sign_in(browser, email)
    page = browser.get("/sign-in/security-code").body.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post("/sign-in/security-code", {"csrf_token": token, "code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert answer.status == 302, f"could not sign in as {email} with a security code: {answer.status}"


def burst(server: Gunicorn, target: Target, count: int) -> None:
    """`count` GETs from `CLIENTS` threads, each on its own kept-alive connection (as a load balancer holds them, so
    the baseline is not limited by connecting); the burst's wall time is added to the target's."""
    headers = dict(BROWSER_HEADERS)
    if target.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in target.cookies.items())
    remaining = [count]
    lock = threading.Lock()
    while len(target.connections) < CLIENTS:
        target.connections.append(http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT_S))

    def client(connection: http.client.HTTPConnection) -> None:
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            ok = False
            for attempt in (1, 2):
                try:
                    connection.request("GET", target.path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == 200
                    if response.will_close:
                        connection.close()  # opened again by the next request
                    break
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    connection.close()  # the server ended an idle kept-alive connection: once more, on a new one
                    if attempt == 2:
                        break
                except (OSError, http.client.HTTPException):
                    connection.close()
                    break
            with lock:
                target.done += ok
                target.failures += not ok

    threads = [threading.Thread(target=client, args=(c,)) for c in target.connections]
    cpu, start = server.cpu_seconds(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    target.seconds += time.perf_counter() - start
    target.cpu_seconds += server.cpu_seconds() - cpu


def hearth_targets(port: int) -> list[Target]:
    carer = Browser(port)
    sign_in(carer, "carer@example.org")
    boxes = carer.get("/memory-box")  # a list of the carer's children's boxes, or straight to the only one
    child = re.search(r"/memory-box/(\d+)", boxes.headers.get("location", "") + boxes.body.decode())
    support = Browser(port)
    sign_in_staff(support, "support@example.org")
    for browser in (carer, support):  # a first page after signing in, kept as a browser keeps its cookies
        browser.get("/")
    return [
        Target("/healthz (reference)", "hearth", "/healthz"),
        Target("carer home", "hearth", "/", dict(carer.cookies)),
        Target("carer's claims", "hearth", "/claims", dict(carer.cookies)),
        Target("memory-box timeline", "hearth", f"/memory-box/{child.group(1)}", dict(carer.cookies)),
        Target("business support queue", "hearth", "/claims/queue", dict(support.cookies)),
    ]


def run(workdir: Path) -> tuple[Target, list[Target]]:
    env = {**os.environ, "VAR_DIR": str(workdir / "var"), "HEARTH_ENV": "demo"}
    env.pop("DATABASE_URL", None)
    for step in (["migrate"], ["demo-data"]):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *step], cwd=ROOT, env=env, check=True, capture_output=True)
    ports = {"hearth": free_port(), "trivial": free_port()}
    servers = {
        "hearth": Gunicorn("wsgi:app", ports["hearth"], env, workdir / "hearth.log"),
        "trivial": Gunicorn("bench.trivial_app:app", ports["trivial"], env, workdir / "trivial.log"),
    }
    baseline, targets = Target("trivial Flask app", "trivial", "/"), []
    try:
        servers["hearth"].wait_ready("/healthz")
        servers["trivial"].wait_ready("/")
        targets = hearth_targets(ports["hearth"])
        for target in [baseline, *targets]:  # warm up: templates compiled, connections opened, caches filled
            burst(servers[target.server], target, WARM_UP)
            target.done = target.failures = 0
            target.seconds = target.cpu_seconds = 0.0
        for _ in range(ROUNDS):
            for target, count in ((baseline, BASELINE_BURST), *((t, BURST) for t in targets)):
                done, cpu = target.done, target.cpu_seconds
                burst(servers[target.server], target, count)
                target.rounds.append((target.done - done, target.cpu_seconds - cpu))
        return baseline, targets
    finally:
        for target in [baseline, *targets]:
            for connection in target.connections:
                connection.close()
        for server in servers.values():
            server.stop()


def report(baseline: Target, targets: list[Target]) -> bool:
    """Two shares of the baseline for each page: by requests per second of wall time (what a client sees; on a
    machine shared with other work it moves with their load), and by requests per second of the server's own CPU
    time (what the server would serve with the machine to itself; steady under others' load). The target is judged
    on the second, and the first is printed beside it."""
    print(
        f"Throughput, gunicorn as in the Procfile, {CLIENTS} kept-alive clients, {ROUNDS} rounds of {BASELINE_BURST} "
        f"requests to the baseline and {BURST} to each page:"
    )
    print(f"  {'':<28} {'wall req/s':>10} {'share':>7}   {'req/s of CPU':>12} {'share':>7}")
    print(f"  {'trivial Flask app':<28} {baseline.rate:10.1f} {'':>7}   {baseline.cpu_rate:12.1f}")
    ok = baseline.failures == 0
    for t in targets:
        share, cpu_share = t.rate / baseline.rate, t.cpu_rate / baseline.cpu_rate
        reference = t.name.endswith("(reference)")
        verdict = "" if reference else ("  ok" if cpu_share >= TARGET_SHARE else f"  BELOW {TARGET_SHARE:.0%}")
        failed = f"  {t.failures} FAILED" if t.failures else ""
        spread = _round_shares(baseline, t)
        print(f"  {t.name:<28} {t.rate:10.1f} {share:7.1%}   {t.cpu_rate:12.1f} {cpu_share:7.1%}{verdict}{failed}")
        print(f"  {'':<28} {'':>18}   by CPU, round by round: {spread}")
        ok = ok and not t.failures and (cpu_share >= TARGET_SHARE or reference)
    return ok


def _round_shares(baseline: Target, target: Target) -> str:
    """The page's share of the baseline by CPU in each round (the baseline's burst just before it), as least, median
    and most: how far one round's neighbours on a shared machine moved the figure."""
    shares = sorted(
        (done / cpu) / (base_done / base_cpu)
        for (done, cpu), (base_done, base_cpu) in zip(target.rounds, baseline.rounds, strict=True)
        if cpu and base_cpu and base_done
    )
    if not shares:
        return "none"
    return f"{shares[0]:.1%} / {shares[len(shares) // 2]:.1%} / {shares[-1]:.1%} (least / median / most)"


def main() -> bool:
    with tempfile.TemporaryDirectory(prefix="hearth-throughput-") as tmp:
        baseline, targets = run(Path(tmp))
    return report(baseline, targets)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
