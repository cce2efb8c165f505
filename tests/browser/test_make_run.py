"""The demo as `make run` serves it: the Procfile's gunicorn, job worker and scheduler started by honcho, on the
embedded default (SQLite and local files in a throw-away VAR_DIR). A carer's photo becomes ready without anything
running jobs inside the request."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import image_loaded, sign_in
from tests.production.stack import free_port, wait_for
from tests.uploads.corpus import jpeg

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_make_run_starts_the_procfile_through_honcho():
    dry_run = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", "PORT=5999"], cwd=ROOT, capture_output=True, text=True
    )
    assert "honcho start --procfile Procfile --port 5999" in dry_run.stdout
    procfile = (ROOT / "Procfile").read_text()
    assert re.search(r"^web: gunicorn ", procfile, re.M)
    assert re.search(r"^worker: flask --app wsgi worker", procfile, re.M)
    assert re.search(r"^scheduler: flask --app wsgi scheduler", procfile, re.M)


@pytest.fixture(scope="module")
def make_run_server(tmp_path_factory):
    """`make run`'s steps on a free port: migrate, demo data, then honcho with the Procfile (as its recipe does)."""
    import requests

    workdir = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEARTH_", "JOBS_", "STORAGE_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        VAR_DIR=str(workdir / "var"),
        HEARTH_ENV="demo",
        BASE_URL=f"http://127.0.0.1:{port}",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        FLASK_APP="wsgi",
    )
    for step in ("migrate", "demo-data"):
        subprocess.run([str(BIN / "flask"), step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    log = workdir / "honcho.log"
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--procfile", "Procfile", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(url + "/healthz", timeout=5).status_code == 200, 90, "make run's web server")
        yield url, log, workdir / "var"
    finally:
        honcho.send_signal(signal.SIGINT)  # Ctrl-C: honcho stops every process it started
        try:
            honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()


def test_a_carer_uploads_a_photo_and_sees_it_become_ready(browser, make_run_server, tmp_path):
    url, log, var_dir = make_run_server
    photo = tmp_path / "beach.jpg"
    photo.write_bytes(jpeg((800, 600), "orange"))
    context = browser.new_context(base_url=url, viewport={"width": 375, "height": 667})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, "carer@example.org")
        page.goto("/logs/new")
        page.select_option("select[name=child_id]", label="Millie Stone")
        page.get_by_label("Achievement").check()
        page.fill("textarea[name=body]", "We built a sandcastle taller than the lifeguard's chair.")
        page.set_input_files("input[name=attachments]", str(photo))
        page.get_by_role("button", name="Send log entry").click()
        page.wait_for_url(re.compile(r"/logs/\d+$"))

        # The web server only received the photo (nothing runs jobs inside a request here): the worker process
        # makes it ready while the carer looks at the entry.
        def ready() -> bool:
            page.reload()
            return page.locator("img.hearth-thumb").count() == 1

        wait_for(ready, 30, "the photo becoming ready")
        assert image_loaded(page, page.locator("img.hearth-thumb"))
    finally:
        context.close()
    text = log.read_text(errors="replace")
    for process in ("web.1", "worker.1", "scheduler.1"):  # each its own process, all still running
        assert f"| {process} started" in text and f"| {process} stopped" not in text, text[-3000:]
    assert list((var_dir / "files" / "logs").rglob("thumb.*")), "no thumbnail in the demo's local files"
