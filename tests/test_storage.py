"""File storage: the local directory and S3 (a real S3 server over HTTP on loopback) behave the same way."""

from __future__ import annotations

import io
import os
import socket
import urllib.request
import uuid

import pytest
from moto.server import ThreadedMotoServer

from portal.core.storage import StorageError, storage_from_config
from portal.core.storage.local import LocalStorage
from portal.core.storage.s3 import S3Storage

S3_SETTINGS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3 server on a free loopback port for the whole run, with throw-away credentials."""
    saved = {k: os.environ.get(k) for k in S3_SETTINGS}
    os.environ.update(S3_SETTINGS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def s3_bucket(s3_endpoint):
    bucket = f"hearth-{uuid.uuid4().hex[:12]}"
    S3Storage(bucket, endpoint_url=s3_endpoint, region="eu-west-2").client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    return bucket


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Storage(bucket, endpoint_url=request.getfixturevalue("s3_endpoint"), region="eu-west-2")


def test_stored_bytes_read_back_the_same(storage):
    storage.put("memories/1/a.jpg", b"\xff\xd8photo", "image/jpeg")
    with storage.open("memories/1/a.jpg") as f:
        assert f.read() == b"\xff\xd8photo"
    assert storage.exists("memories/1/a.jpg")


def test_a_large_stream_is_stored_without_loss(storage):
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one chunk and, on S3, a multipart upload
    storage.put("records/2/big.pdf", io.BytesIO(data), "application/pdf")
    with storage.open("records/2/big.pdf") as f:
        assert f.read() == data


def test_putting_the_same_key_replaces_the_file(storage):
    storage.put("records/1/doc.pdf", b"first", "application/pdf")
    storage.put("records/1/doc.pdf", b"second", "application/pdf")
    with storage.open("records/1/doc.pdf") as f:
        assert f.read() == b"second"
    assert storage.keys("records/") == ["records/1/doc.pdf"]


def test_keys_are_listed_by_prefix_in_order(storage):
    for key in ("memories/2/b.jpg", "memories/1/a.jpg", "quarantine/x.bin", "memories/10/c.jpg"):
        storage.put(key, b"x", "application/octet-stream")
    assert storage.keys("memories/") == ["memories/1/a.jpg", "memories/10/c.jpg", "memories/2/b.jpg"]
    assert storage.keys("memories/1/") == ["memories/1/a.jpg"]
    assert len(storage.keys()) == 4


def test_deleted_files_are_gone_and_deleting_twice_is_harmless(storage):
    storage.put("quarantine/1.bin", b"x", "application/octet-stream")
    storage.delete("quarantine/1.bin")
    storage.delete("quarantine/1.bin")
    assert not storage.exists("quarantine/1.bin")
    assert storage.keys() == []


def test_opening_a_missing_file_is_a_storage_error(storage):
    with pytest.raises(StorageError):
        storage.open("memories/1/missing.jpg")
    assert not storage.exists("memories/1/missing.jpg")


def test_health_is_ok_when_the_store_is_writable(storage):
    assert storage.health() == "ok"


@pytest.mark.parametrize("key", ["../etc/passwd", "memories/../../x", "/abs/path", "Memories/Upper.jpg", "a b.jpg", ""])
def test_local_storage_refuses_keys_that_could_escape_its_directory(tmp_path, key):
    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(StorageError):
        storage.put(key, b"x", "text/plain")
    assert not (tmp_path / "etc").exists()


def test_local_storage_never_lists_half_written_files(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    storage.put("memories/1/a.jpg", b"x", "image/jpeg")
    (tmp_path / "files" / "memories" / "1" / ".upload-abc").write_bytes(b"partial")
    assert storage.keys() == ["memories/1/a.jpg"]


def test_a_failed_local_write_leaves_no_partial_file(tmp_path):
    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 0:
                raise OSError("connection reset")
            return super().read(4)

    storage = LocalStorage(tmp_path / "files")
    with pytest.raises(OSError):
        storage.put("memories/1/a.jpg", Broken(b"x" * 100), "image/jpeg")
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == []


def test_local_storage_has_no_presigned_urls(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    assert storage.presigned_url("memories/1/a.jpg", filename="a.jpg", content_type="image/jpeg") is None


def test_s3_presigned_url_serves_the_file_with_its_name_and_type(s3_endpoint, s3_bucket):
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, region="eu-west-2")
    storage.put("memories/1/a.jpg", b"\xff\xd8photo", "image/jpeg")
    url = storage.presigned_url("memories/1/a.jpg", filename='Beach "day".jpg', content_type="image/jpeg", seconds=60)
    assert "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"\xff\xd8photo"
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["Content-Disposition"] == 'inline; filename="Beach day.jpg"'


def test_s3_stores_the_content_type_and_encryption(s3_endpoint, s3_bucket):
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, region="eu-west-2", sse="AES256")
    storage.put("records/1/doc.pdf", b"%PDF-1.7", "application/pdf")
    head = storage.client.head_object(Bucket=s3_bucket, Key="records/1/doc.pdf")
    assert head["ContentType"] == "application/pdf"
    assert head["ServerSideEncryption"] == "AES256"


def test_s3_health_is_unavailable_for_a_missing_bucket(s3_endpoint):
    assert S3Storage("no-such-bucket", endpoint_url=s3_endpoint, region="eu-west-2").health() == "unavailable"


def test_s3_failures_are_storage_errors(s3_endpoint):
    storage = S3Storage("no-such-bucket", endpoint_url=s3_endpoint, region="eu-west-2")
    with pytest.raises(StorageError):
        storage.put("memories/1/a.jpg", b"x", "image/jpeg")
    with pytest.raises(StorageError):
        storage.open("memories/1/a.jpg")
    with pytest.raises(StorageError):
        storage.keys("memories/")
    with pytest.raises(StorageError):
        storage.delete("memories/1/a.jpg")


def test_s3_that_cannot_be_reached_is_an_error_not_an_absent_file():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    storage = S3Storage("hearth", endpoint_url=f"http://127.0.0.1:{closed}", region="eu-west-2")
    with pytest.raises(StorageError):
        storage.exists("memories/1/a.jpg")
    assert storage.health() == "unavailable"


def test_settings_choose_the_backend(tmp_path, s3_endpoint, s3_bucket):
    local = storage_from_config({"STORAGE_BACKEND": "local", "STORAGE_LOCAL_DIR": tmp_path / "files"})
    assert isinstance(local, LocalStorage)
    s3 = storage_from_config(
        {
            "STORAGE_BACKEND": "s3",
            "STORAGE_S3_BUCKET": s3_bucket,
            "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
            "STORAGE_S3_REGION": "eu-west-2",
        }
    )
    assert isinstance(s3, S3Storage)
    assert s3.health() == "ok"


def test_health_check_reports_the_s3_store(app_config, s3_endpoint, s3_bucket):
    from portal.app import create_app
    from portal.core.db import db

    app = create_app(
        {**app_config, "STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": s3_bucket, "STORAGE_S3_ENDPOINT_URL": s3_endpoint}
    )
    try:
        assert app.test_client().get("/healthz").json["checks"]["storage"] == "ok"
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
