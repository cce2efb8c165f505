"""The carer's first load measured on the wire, against the 60 KB budget (shared/ARCHITECTURE.md, "Front end").

Nothing is compressed here: real servers answer real HTTP requests on 127.0.0.1, sent as a browser sends them
(`Accept-Encoding: gzip, deflate, br, zstd`, `Sec-Fetch-Site`), and every byte that comes back — status line,
headers and body as sent, compressed or not — is counted. Two servers, each on a throw-away `VAR_DIR` with the demo
data:

1. started the way `make run` starts it: `make run PORT=<port>` itself, so whatever `make run` runs (the Flask
   server, or gunicorn and a worker from a Procfile) is what is measured;
2. started with the gunicorn command line from the README's "Running in production" section (read from README.md,
   with `--bind` moved to a loopback port), after the README's `flask --app wsgi migrate` and `demo-data`.

A first load is the carer's home page just after signing in, with an empty cache: the HTML, then every stylesheet,
script (and the modules it imports at once), icon and the web app manifest it links to, and the service worker it
registers. The service worker then keeps the app shell for offline use; those extra downloads are reported apart.
Run with `python -m bench.page_weight [make-run|gunicorn ...]`.
"""

from __future__ import annotations

import gzip
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUDGET_BYTES = 60 * 1024
CARER = "carer@example.org"
START_TIMEOUT_S = 300  # `make run` may install, build and load the demo first
REQUEST_TIMEOUT_S = 30
ROUNDS = 100
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) hearth-bench",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "en-GB,en;q=0.9",
    "Sec-Fetch-Site": "same-origin",
}
LINKED = re.compile(r"<(link|script)\b([^>]*)>", re.I)
ATTR = re.compile(r'([a-z-]+)="([^"]*)"', re.I)
STATIC_IMPORT = re.compile(rb'(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*?from\s*)?"(\./[^"]+)"')
CSS_URL = re.compile(rb"url\(\s*[\"']?([^\"')]+)")
FONT_FACE = re.compile(rb"@font-face\s*\{[^}]*\}")


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes  # decoded
    wire: int  # bytes received: status line, headers and body as sent

    @property
    def encoding(self) -> str:
        return self.headers.get("content-encoding", "identity")


@dataclass
class FirstLoad:
    server: str
    rows: list[Fetched] = field(default_factory=list)
    shell: list[Fetched] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)
    css_images: list[str] = field(default_factory=list)  # fetched only if an element uses them: not counted

    @property
    def total(self) -> int:
        return sum(r.wire for r in self.rows)


# --- HTTP, counted byte by byte -----------------------------------------------------------------------------------


def request(port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Fetched:
    """One request on its own connection (`Connection: close`); everything received until the server closes it is
    counted, so chunked framing and headers are in the figure, as they are on the wire."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    raw = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT_S) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, payload = bytes(raw).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        parsed[key] = f"{parsed[key]}\n{value.strip()}" if key in parsed else value.strip()
    if parsed.get("transfer-encoding", "").lower() == "chunked":
        payload = _dechunk(payload)
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress}.get(parsed.get("content-encoding", ""), bytes)(payload)
    return Fetched(path, int(status_line.split()[1]), parsed, decoded, len(raw))


def _dechunk(data: bytes) -> bytes:
    out, rest = bytearray(), data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


class Browser:
    """Cookies and headers as a browser keeps them, for one origin."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(BROWSER_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**headers, **(extra or {})}

    def _keep_cookies(self, fetched: Fetched) -> None:
        for line in fetched.headers.get("set-cookie", "").split("\n"):
            name, _, rest = line.partition("=")
            if name and rest:
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str, **extra: str) -> Fetched:
        fetched = request(self.port, "GET", path, self._headers(extra))
        self._keep_cookies(fetched)
        return fetched

    def post(self, path: str, form: dict[str, str]) -> Fetched:
        body = urlencode(form).encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        fetched = request(self.port, "POST", path, headers, body)
        self._keep_cookies(fetched)
        return fetched

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# --- What a first load fetches ------------------------------------------------------------------------------------


def sign_in(browser: Browser, email: str) -> None:
    from portal.demo import DEMO_PASSWORD

    page = browser.get("/sign-in").body.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post("/sign-in", {"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    assert answer.status == 302, f"could not sign in as {email}: {answer.status}"


def linked_resources(html: str) -> list[str]:
    """What the browser fetches for the page itself: stylesheets, scripts, module preloads, icons, the manifest."""
    wanted = {"stylesheet", "modulepreload", "icon", "manifest"}
    urls = []
    for tag, attrs in LINKED.findall(html):
        a = {k.lower(): v for k, v in ATTR.findall(attrs)}
        if tag.lower() == "script" and a.get("src"):
            urls.append(a["src"])
        elif tag.lower() == "link" and wanted & set(a.get("rel", "").lower().split()):
            urls.append(a["href"])
    return list(dict.fromkeys(urls))


def first_load(port: int, server: str, path: str = "/") -> FirstLoad:
    browser = Browser(port)
    sign_in(browser, CARER)
    # A fresh cache: only the session cookie is kept from signing in.
    result = FirstLoad(server)
    page = browser.get(path)
    assert page.status == 200, f"{path} answered {page.status}"
    result.rows.append(page)
    html = page.body.decode()
    queue = linked_resources(html)
    if "serviceWorker.register" in html or any(u.endswith(".js") for u in queue):
        queue.append("/service-worker.js")  # hearth.js registers it on every page
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if urlsplit(url).netloc and urlsplit(url).netloc != f"127.0.0.1:{port}":
            result.third_party.append(url)
            continue
        fetched = browser.get(url, **{"Sec-Fetch-Dest": "script" if url.endswith(".js") else "style"})
        assert fetched.status == 200, f"{url} answered {fetched.status}"
        result.rows.append(fetched)
        base = url.rsplit("/", 1)[0]
        if url.endswith(".js") and url != "/service-worker.js":
            queue += [f"{base}/{name.decode()[2:]}" for name in STATIC_IMPORT.findall(fetched.body)]
        elif url.endswith(".css"):
            # Fonts are fetched for the text on every page; a background image only when an element uses it.
            fonts = b"".join(FONT_FACE.findall(fetched.body))
            for ref in CSS_URL.findall(fetched.body):
                if ref.startswith(b"data:"):
                    continue
                if b"//" in ref:
                    result.third_party.append(ref.decode())
                elif ref in fonts:
                    queue.append(ref.decode())
                else:
                    result.css_images.append(ref.decode())
    # The service worker keeps the app shell: files the page did not load are downloaded too, once.
    worker = next((r for r in result.rows if r.url == "/service-worker.js"), None)
    if worker is not None:
        shell = re.search(rb'"assets": (\[[^\]]*\])', worker.body)
        for url in re.findall(r'"([^"]+)"', shell.group(1).decode()) if shell else []:
            if url not in seen:
                seen.add(url)
                result.shell.append(browser.get(url))
        result.shell.append(request(port, "GET", "/offline", dict(BROWSER_HEADERS)))
    for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
        if urlsplit(url).netloc != f"127.0.0.1:{port}":
            result.third_party.append(url)
    return result


def median_ms(port: int, path: str, cookies: dict[str, str], rounds: int = ROUNDS) -> float:
    headers = {**BROWSER_HEADERS, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        fetched = request(port, "GET", path, headers)
        timings.append(time.perf_counter() - start)
        assert fetched.status == 200, f"{path} answered {fetched.status}"
    return statistics.median(timings) * 1000


# --- Servers ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_gunicorn_command(port: int) -> list[str]:
    """The README's production gunicorn line, bound to a loopback port instead of 0.0.0.0:8000."""
    readme = (ROOT / "README.md").read_text()
    line = next((ln.strip() for ln in readme.splitlines() if ln.strip().startswith("gunicorn ")), None)
    if line is None:
        raise SystemExit("README.md has no `gunicorn ...` command line to measure")
    args = shlex.split(line.split("#", 1)[0])
    for i, arg in enumerate(args):
        if arg in {"--bind", "-b"}:
            args[i + 1] = f"127.0.0.1:{port}"
        elif arg.startswith("--bind="):
            args[i] = f"--bind=127.0.0.1:{port}"
    if not any(a in {"--bind", "-b"} or a.startswith("--bind=") for a in args):
        args[1:1] = ["--bind", f"127.0.0.1:{port}"]
    return [str(BIN / "gunicorn"), *args[1:]]


class Server:
    """A server process group on a loopback port, with its own VAR_DIR, stopped as a whole at the end. SIGTERM, not
    Ctrl-C's SIGINT: a process started in the background by a shell ignores SIGINT, and so do its children."""

    def __init__(self, name: str, command: list[str], var_dir: Path, port: int, log: Path) -> None:
        self.name, self.command, self.port, self.log = name, command, port, log
        env = {**os.environ, "VAR_DIR": str(var_dir), "PORT": str(port), "HEARTH_ENV": "demo"}
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                if request(self.port, "GET", "/sign-in", {}).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} did not answer on port {self.port} within {START_TIMEOUT_S} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(kind: str, workdir: Path) -> Server:
    port = free_port()
    var_dir = workdir / kind / "var"
    var_dir.mkdir(parents=True)
    log = workdir / f"{kind}.log"
    if kind == "make-run":
        return Server("make run", ["make", "--no-print-directory", "run", f"PORT={port}"], var_dir, port, log)
    env = {**os.environ, "VAR_DIR": str(var_dir), "HEARTH_ENV": "demo"}
    env.pop("DATABASE_URL", None)
    for step in (["migrate"], ["demo-data"]):  # the README's release steps, then the demo service to sign in to
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *step], cwd=ROOT, env=env, check=True, capture_output=True)
    return Server("README gunicorn", readme_gunicorn_command(port), var_dir, port, log)


# --- Report -------------------------------------------------------------------------------------------------------


def report(load: FirstLoad) -> None:
    print(f"First load of the carer's home page, on the wire, from {load.server}:")
    for r in load.rows:
        print(f"  {r.url:<54} {len(r.body) / 1024:7.1f} KB raw  {r.wire / 1024:6.1f} KB sent ({r.encoding})")
    verdict = "within" if load.total <= BUDGET_BYTES else "OVER"
    print(
        f"  {'total':<54} {sum(len(r.body) for r in load.rows) / 1024:7.1f} KB raw  {load.total / 1024:6.1f} KB sent"
        f" — {verdict} the {BUDGET_BYTES // 1024} KB budget ({load.total / BUDGET_BYTES:.0%}), "
        f"{len(load.rows)} requests, {len(load.third_party)} to third parties"
    )
    if load.shell:
        shell = sum(r.wire for r in load.shell)
        print(
            f"  then the service worker keeps the app shell: {len(load.shell)} more files, {shell / 1024:.1f} KB sent"
        )
    for url in load.third_party:
        print(f"  THIRD PARTY: {url}")
    for url in dict.fromkeys(load.css_images):
        print(f"  (not counted: {url}, an image the stylesheet names for elements this page may not have)")


def measure(kind: str, workdir: Path, timing: bool = False) -> FirstLoad:
    server = start(kind, workdir)
    try:
        server.wait_ready()
        load = first_load(server.port, server.name)
        report(load)
        if timing:
            browser = Browser(server.port)
            sign_in(browser, CARER)
            home = median_ms(server.port, "/", browser.cookies)
            baseline = median_ms(server.port, "/healthz", {})
            print(
                f"Render time over HTTP, median of {ROUNDS}: carer home {home:.2f} ms, /healthz {baseline:.2f} ms "
                f"→ ratio {home / baseline:.1f}× the trivial page"
            )
        return load
    finally:
        server.stop()


def main(kinds: list[str] | None = None) -> list[FirstLoad]:
    kinds = kinds or ["make-run", "gunicorn"]
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        return [measure(kind, Path(tmp), timing=kind == "gunicorn") for kind in kinds]


if __name__ == "__main__":
    loads = main(sys.argv[1:] or None)
    sys.exit(0 if all(load.total <= BUDGET_BYTES and not load.third_party for load in loads) else 1)
