"""Upload fixtures: clamd from CLAMD_ADDRESS, an S3 server over HTTP, a family with a child placed, the corpora."""

from __future__ import annotations

import io
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.core.uploads import READY, StoredFile
from tests.factories import Family, make_family
from tests.uploads import benign, corpus, hostile

CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS", "")
needs_clamd = pytest.mark.skipif(
    not CLAMD_ADDRESS,
    reason="CLAMD_ADDRESS is not set: no clamd to scan with (locally: CLAMD_ADDRESS=unix:/tmp/myclam/clamd.sock)",
)
S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free loopback port for the whole run; boto3 reaches it over real HTTP."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for key, value in S3_CREDENTIALS.items():
            mp.setenv(key, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@pytest.fixture
def s3_settings(s3_server, monkeypatch):
    """A fresh bucket, and the settings that point Hearth at it, given through the environment as in production."""
    import boto3

    bucket = f"hearth-uploads-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings = {
        "STORAGE_BACKEND": "s3",
        "STORAGE_S3_BUCKET": bucket,
        "STORAGE_S3_ENDPOINT_URL": s3_server,
        "STORAGE_S3_REGION": "eu-west-2",
        **S3_CREDENTIALS,
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """Tests that take `backend` run twice: on the local directory and on S3."""
    return request.param


@pytest.fixture
def app_config(app_config, request):
    config = dict(app_config)
    if CLAMD_ADDRESS:
        config["CLAMD_ADDRESS"] = CLAMD_ADDRESS
    wants_s3 = "s3_settings" in request.fixturenames or (
        "backend" in request.fixturenames and request.getfixturevalue("backend") == "s3"
    )
    if wants_s3:
        request.getfixturevalue("s3_settings")  # sets the environment before the app reads it
    return config


@pytest.fixture
def family(app) -> Family:
    return make_family()


def log_form(family: Family, files: list[tuple[bytes, str]] = (), **overrides) -> dict:
    d = today()
    data = {
        "child_id": str(family.child.id),
        "entry_date-day": str(d.day),
        "entry_date-month": str(d.month),
        "entry_date-year": str(d.year),
        "time_of_day": "",
        "category": "daily_life",
        "body": "Millie went swimming and was proud of her new badge.",
    }
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    data.update(overrides)
    return data


def stored_keys(app) -> list[str]:
    return app.extensions["hearth_storage"].keys()


def stored_files() -> list[StoredFile]:
    db.session.expire_all()
    return list(db.session.scalars(select(StoredFile).order_by(StoredFile.id)))


def ready_files() -> list[StoredFile]:
    return [f for f in stored_files() if f.status == READY]


def read_object(app, key: str) -> bytes:
    with app.extensions["hearth_storage"].open(key) as f:
        return f.read()


def exiftool_tags(paths: list[Path], *, embedded: bool = False) -> dict[str, dict]:
    """Every tag exiftool finds in each file, grouped by where it lives (-G1), unknown tags included."""
    args = ["exiftool", "-j", "-G1", "-a", "-u"] + (["-ee"] if embedded else [])
    out = subprocess.run(args + [str(p) for p in paths], capture_output=True, timeout=120)
    return {Path(item["SourceFile"]).name: item for item in json.loads(out.stdout or b"[]")}


# --- corpora, made once per run ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hostile_files() -> dict[str, bytes]:
    return hostile.hostile_corpus()


@pytest.fixture(scope="session")
def canary_images(tmp_path_factory) -> dict[str, bytes]:
    """Benign pictures, each carrying the canary in EXIF, GPS, XMP, IPTC and comments where its format allows."""
    folder = tmp_path_factory.mktemp("benign")
    files = {f"orientation-{n}.jpg": benign.oriented_jpeg(n) for n in range(1, 9)}
    files.update(
        {
            "alpha.png": benign.alpha_png(),
            "photo.webp": corpus.webp((240, 160), "purple", quality=90),
            "photo.heic": benign.heic(),
            "plain.png": corpus.png((240, 160), "olive"),
        }
    )
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    benign.plant_canary(paths)
    return {p.name: p.read_bytes() for p in paths}


@pytest.fixture(scope="session")
def big_photos(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("big")
    photos = {"12mp.jpg": benign.big_photo(12), "48mp.jpg": benign.big_photo(48)}
    for name, data in photos.items():
        (folder / name).write_bytes(data)
    benign.plant_canary([folder / name for name in photos])
    return {name: (folder / name).read_bytes() for name in photos}
