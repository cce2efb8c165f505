"""Mobile Lighthouse on the carer's home page against a trivial page, in the same run (issue 12: LCP at most 2× the
trivial page's, and no render-blocking script).

Lighthouse's default mobile settings are used: a simulated slow 4G connection (150 ms round trip, 1.6 Mbit/s) and a
CPU slowed four times. Hearth is started by `make run PORT=<port>` with a throw-away `VAR_DIR` and the demo data (web,
worker and scheduler; see `make_run`); the trivial page is `bench/trivial_app.py` under the
Procfile's gunicorn command. The carer signs in first and Lighthouse sends the session cookie with every request.
The two pages take turns, `RUNS` times each, and the medians are compared.

Lighthouse is not a dependency of the project (it downloads nothing at run time but is large): install it once
outside the repository and point at it, with Debian's Chromium:

    npm i -E --prefix /tmp/lh lighthouse@12.2.3
    CHROME_PATH=/usr/bin/chromium python -m bench.lighthouse      # LIGHTHOUSE=/path/to/lighthouse to override

It exits non-zero when the ratio is over 2 or a script blocks rendering.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.page_weight import CARER, Browser, Server, free_port, sign_in
from bench.throughput import Gunicorn

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse")
RUNS = 3
MAX_RATIO = 2.0


def lighthouse(url: str, out: Path, cookie: str | None = None) -> dict:
    """One Lighthouse run (performance only, default mobile throttling); the JSON report as a dict."""
    command = [
        LIGHTHOUSE,
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    return json.loads(out.read_text())


def make_run(workdir: Path) -> Server:
    """`make run` on a free port with its own VAR_DIR. The dependency steps are taken as done (`-o`): the
    environment is already installed, and reinstalling it here would be slow and, in a shared one, disruptive."""
    port, var_dir = free_port(), workdir / "make-run" / "var"
    var_dir.mkdir(parents=True)
    command = ["make", "--no-print-directory", "-o", ".venv/bin/activate", "-o", "node_modules/.installed"]
    return Server("make run", [*command, "run", f"PORT={port}"], var_dir, port, workdir / "make-run.log")


def figures(report: dict) -> dict:
    audits = report["audits"]
    blocking = [item["url"] for item in audits["render-blocking-resources"].get("details", {}).get("items", [])]
    return {
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "score": report["categories"]["performance"]["score"],
        "blocking": blocking,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
    }


def main() -> bool:
    if not Path(LIGHTHOUSE).exists():
        raise SystemExit(f"Lighthouse not found at {LIGHTHOUSE}: see this module's docstring")
    with tempfile.TemporaryDirectory(prefix="hearth-lighthouse-") as tmp:
        workdir = Path(tmp)
        hearth = make_run(workdir)
        trivial_port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        trivial = Gunicorn("bench.trivial_app:app", trivial_port, env, workdir / "trivial.log")
        try:
            hearth.wait_ready()
            trivial.wait_ready("/")
            browser = Browser(hearth.port)
            sign_in(browser, CARER)
            cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
            runs: dict[str, list[dict]] = {"trivial page": [], "carer home": []}
            for i in range(RUNS):
                runs["trivial page"].append(
                    figures(lighthouse(f"http://127.0.0.1:{trivial_port}/", workdir / f"trivial-{i}.json"))
                )
                home = figures(lighthouse(f"http://127.0.0.1:{hearth.port}/", workdir / f"home-{i}.json", cookie))
                if not home["final_url"].rstrip("/").endswith(str(hearth.port)):
                    raise SystemExit(f"Lighthouse was sent to {home['final_url']}: the carer is not signed in")
                runs["carer home"].append(home)
        finally:
            trivial.stop()
            hearth.stop()
    print(f"Mobile Lighthouse 12 (slow 4G, 4× CPU), median of {RUNS} runs each, taking turns:")
    medians = {}
    for name, results in runs.items():
        medians[name] = statistics.median(r["lcp_ms"] for r in results)
        fcp = statistics.median(r["fcp_ms"] for r in results)
        lcps = ", ".join(f"{r['lcp_ms']:.0f}" for r in results)
        print(
            f"  {name:<14} LCP {medians[name]:6.0f} ms (runs: {lcps})  FCP {fcp:6.0f} ms  score {results[0]['score']}"
        )
    ratio = medians["carer home"] / medians["trivial page"]
    blocking = sorted({url for r in runs["carer home"] for url in r["blocking"]})
    scripts = [url for url in blocking if url.split("?")[0].endswith((".js", ".mjs"))]
    print(f"  LCP ratio: carer home / trivial page = {ratio:.2f}× (target ≤ {MAX_RATIO:.0f}×)")
    print(f"  render-blocking resources on the carer home: {', '.join(blocking) or 'none'}")
    print(f"  render-blocking scripts: {', '.join(scripts) or 'none'}")
    return ratio <= MAX_RATIO and not scripts


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
