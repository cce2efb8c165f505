"""Two web servers, two workers and the scheduler, as separate processes against PostgreSQL, Redis, S3 over HTTP and
clamd: what one web server receives, a worker processes and the other web server serves; a worker killed mid-job
loses nothing."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from sqlalchemy import create_engine, text

from portal.core.db import normalise_url
from portal.demo import DEMO_PASSWORD
from tests.production.conftest import LEASE_SECONDS
from tests.production.web import Visitor, wait_until
from tests.uploads.benign import big_photo
from tests.uploads.corpus import jpeg

pytestmark = [pytest.mark.production_shaped, pytest.mark.postgres_only]
BUDGET_SECONDS = 90


def _rows(url: str) -> list[dict]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            result = conn.execute(text("SELECT id, status, leased_by, renditions FROM stored_files ORDER BY id"))
            return [dict(row._mapping) for row in result]
    finally:
        engine.dispose()


def _thumbnail_served(visitor: Visitor, entry: str) -> bytes | None:
    """The picture bytes behind the entry page's thumbnail (through S3's short-lived link), once it is ready."""
    page = visitor.get(entry).text
    found = re.search(r'<img src="([^"]+)"', page)
    if not found:
        return None
    response = visitor.get(found.group(1))  # web 303 → presigned S3 URL, followed like a browser
    assert response.status_code == 200, response.status_code
    return response.content


def test_two_web_servers_and_two_workers_share_the_work_and_a_killed_worker_loses_nothing(
    stack, carer, scratch_database, bucket
):
    started = time.monotonic()
    web1, web2 = stack.web("web1"), stack.web("web2")
    workers = {p.popen.pid: p for p in (stack.worker("worker1"), stack.worker("worker2"))}
    stack.scheduler()
    camera_photo = big_photo(12)  # made while the processes start
    try:
        stack.wait_healthy(web1, web2)
        for url in (web1, web2):
            health = Visitor(url).get("/healthz")
            assert health.json() == {"status": "ok", "checks": {"database": "ok", "jobs": "ok", "storage": "ok"}}

        # Received by web 1, processed by a worker, served by web 2 (same browser cookies, other server).
        on_web1 = Visitor(web1)
        on_web1.sign_in(carer, DEMO_PASSWORD)
        entry = on_web1.write_log_with_photo(jpeg((640, 480), "teal"), "swimming.jpg")
        on_web2 = Visitor(web2)
        on_web2.http.cookies = on_web1.http.cookies
        picture = wait_until(lambda: _thumbnail_served(on_web2, entry), seconds=30, what="the photo becoming ready")
        assert picture.startswith(b"\xff\xd8")  # a JPEG

        # A camera-sized photo; its worker is killed (SIGKILL: no clean-up) as soon as it has taken the file.
        second = on_web1.write_log_with_photo(camera_photo, "camera.jpg")
        holder = wait_until(
            lambda: next((r["leased_by"] for r in _rows(scratch_database)[1:] if r["leased_by"] != "queue"), None),
            seconds=30,
            what="a worker taking the camera photo",
            every=0.02,
        )
        victim = int(holder.split(":")[1])
        assert victim in workers, f"{holder} is not one of the workers {list(workers)}"
        os.kill(victim, signal.SIGKILL)
        workers[victim].popen.wait(timeout=10)
        killed_at = time.monotonic()
        assert _rows(scratch_database)[1]["status"] == "processing", "the photo was finished before the kill"

        # The scheduler's sweep queues it again once the dead worker's lease runs out; the other worker finishes it.
        wait_until(
            lambda: _thumbnail_served(on_web2, second), seconds=LEASE_SECONDS + 30, what="the swept photo being ready"
        )
        assert time.monotonic() - killed_at >= LEASE_SECONDS - 1  # not before the lease ran out
        rows = _rows(scratch_database)
        assert [r["status"] for r in rows] == ["ready", "ready"]  # no duplicate rows
        assert all(r["leased_by"] is None for r in rows)

        # Nothing stored twice or left behind: the bucket holds exactly the renditions of the two files.
        client, name = bucket
        keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))
        assert keys == sorted(r["key"] for row in rows for r in row["renditions"].values())
        reconciled = stack.flask("reconcile-files")
        assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
        assert "orphaned_objects: 0" in reconciled.stdout and "missing_objects: 0" in reconciled.stdout
        assert "unclaimed_quarantine: 0" in reconciled.stdout
        assert "uploads queued again after their lease ran out" in (stack.workdir / "scheduler.log").read_text()
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{stack.logs()}") from exc
    assert time.monotonic() - started < BUDGET_SECONDS
