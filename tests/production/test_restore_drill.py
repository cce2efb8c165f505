"""The README's restore drill, performed on the test services: a pg_dump backup restored into a new database, files
deleted since brought back from the bucket's versions, and the reconciler reporting clean."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, text

from portal.core.db import normalise_url
from tests.jobs import drain_jobs
from tests.uploads.corpus import jpeg

pytestmark = [pytest.mark.production_shaped, pytest.mark.postgres_only]


def _libpq(url: str) -> str:
    """The URL as PostgreSQL's own tools take it (no SQLAlchemy driver name)."""
    return normalise_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def _ready_photo(stack, database_url: str) -> list[str]:
    """One photo received and processed by the app on the production database and bucket; its stored keys."""
    from portal.app import create_app
    from portal.core.db import db
    from portal.core.uploads import process_upload, receive

    settings = {k: v for k, v in stack.env.items() if k.startswith(("STORAGE_", "AWS_"))}
    app = create_app(
        {
            **settings,
            "HEARTH_ENV": "test",
            "DATABASE_URL": database_url,
            "VAR_DIR": str(stack.workdir / "var"),
            "SECRET_KEY": "drill-" + "x" * 32,
        }
    )
    with app.app_context():
        stored = receive(None, io.BytesIO(jpeg((320, 240))), "photo.jpg", purpose="log_attachment", prefix="logs")
        db.session.commit()
        process_upload(stored.id)
        drain_jobs(app)  # as a worker runs it
        db.session.refresh(stored)
        assert stored.status == "ready"
        keys = [r["key"] for r in stored.renditions.values()]
        db.session.remove()
        db.engine.dispose()
    return keys


def _in(stack, database_url: str, *command: str) -> subprocess.CompletedProcess:
    stack.env["DATABASE_URL"] = database_url
    return stack.flask(*command)


def test_the_readme_restore_drill_brings_back_the_database_and_its_files(stack, scratch_database, bucket, tmp_path):
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        assert shutil.which(tool), f"{tool} is not installed (apt-get install postgresql-client)"
    keys = _ready_photo(stack, scratch_database)
    client, name = bucket

    # Nightly backup: the README's pg_dump command.
    dump = tmp_path / "hearth.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(scratch_database)], check=True)

    # Later, the photo's objects are deleted (a mistaken clean-up); versioning keeps them as earlier versions.
    for key in keys:
        client.delete_object(Bucket=name, Key=key)
    assert client.list_objects_v2(Bucket=name).get("KeyCount", 0) == 0

    # Restore into a new database, as the README says, and check it against the bucket.
    server, _, _ = _libpq(scratch_database).rpartition("/")
    maintenance = f"--maintenance-db={_libpq(os.environ['HEARTH_TEST_DB'])}"
    restored_name = f"hearth_restore_{uuid.uuid4().hex[:8]}"
    restored = f"{server}/{restored_name}"
    subprocess.run(["createdb", maintenance, restored_name], check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True)
        url = restored.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM stored_files")).scalars().all() == ["ready"]
        engine.dispose()

        before = _in(stack, url, "reconcile-files")
        assert before.returncode == 1 and f"missing_objects: {len(keys)}" in before.stdout, before.stdout

        brought_back = _in(stack, url, "restore-files")
        assert brought_back.returncode == 0, brought_back.stdout + brought_back.stderr
        assert f"restored: {len(keys)}" in brought_back.stdout and "still_missing: 0" in brought_back.stdout

        after = _in(stack, url, "reconcile-files")
        assert after.returncode == 0, after.stdout + after.stderr
        for line in ("orphaned_objects: 0", "unclaimed_quarantine: 0", "missing_objects: 0"):
            assert line in after.stdout
        assert client.get_object(Bucket=name, Key=keys[0])["Body"].read()[:2] == b"\xff\xd8"
    finally:
        subprocess.run(["dropdb", "--force", maintenance, restored_name], check=False)
