"""The pipeline around the files: failing closed without clamd, S3 over HTTP, hostile names, the reconciler."""

from __future__ import annotations

import io
import os
import re
import socket
import threading
import urllib.request
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from portal.core.db import db
from portal.core.scanning import ClamdScanner
from portal.core.uploads import PENDING_SCAN, READY, reconcile
from portal.records.models import LogEntry
from tests.jobs import drain_jobs
from tests.pages import text_of
from tests.uploads.conftest import CLAMD_ADDRESS, log_form, needs_clamd, read_object, stored_files, stored_keys
from tests.uploads.corpus import jpeg, pdf


def _attachment_url(rendition: str = "original") -> str:
    entry = db.session.scalars(select(LogEntry)).first()
    return f"/logs/{entry.id}/attachments/{entry.attachments[0].id}/{rendition}"


class ClamdRelay:
    """A clamd address that can go away and come back: a unix socket relaying to the real clamd while up."""

    def __init__(self, path: str, target: str) -> None:
        self.path, self.target, self.server = path, target, None

    def start(self) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = ClamdScanner(self.target)._connect()
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def stop(self) -> None:
        self.server.close()
        os.unlink(self.path)


@needs_clamd
def test_without_clamd_an_upload_waits_unseen_and_is_released_when_clamd_returns(app, client, family, tmp_path):
    address = tmp_path / "clamd.sock"
    app.extensions["hearth_scanner"] = ClamdScanner(f"unix:{address}")  # nobody listens there yet
    client.sign_in(family.carer)
    response = client.submit("/logs/new", log_form(family, [(jpeg(), "photo.jpg")]))
    assert response.status_code == 302  # the entry itself is kept: a carer's record never waits on the scanner
    (f,) = stored_files()
    assert f.status == PENDING_SCAN and f.renditions == {}
    assert stored_keys(app) == [f.quarantine_key]
    for rendition in ("thumb", "display", "original"):
        assert client.get(_attachment_url(rendition)).status_code == 404
    assert "being checked" in text_of(client.get(response.location))

    relay = ClamdRelay(str(address), CLAMD_ADDRESS)
    relay.start()
    try:
        drain_jobs(app, retries_now=True)  # the retry a worker runs after its delay
    finally:
        relay.stop()
    (f,) = stored_files()
    assert f.status == READY
    assert f.quarantine_key not in stored_keys(app)
    served = client.get(_attachment_url("original"))
    assert served.status_code == 200 and served.get_data() == read_object(app, f.renditions["master"]["key"])


def test_s3_downloads_redirect_to_a_short_lived_link_that_serves_the_cleaned_bytes(app, client, family, s3_settings):
    assert app.config["STORAGE_BACKEND"] == "s3"
    client.sign_in(family.carer)
    client.submit(
        "/logs/new", log_form(family, [(jpeg((300, 200), "navy"), "Beach day.jpg"), (pdf(), "Letter from school.pdf")])
    )
    files = stored_files()
    assert [f.status for f in files] == [READY, READY]
    entry = db.session.scalars(select(LogEntry)).first()
    for attachment, rendition, disposition in (
        (entry.attachments[0], "thumb", "inline"),
        (entry.attachments[1], "original", "attachment"),
    ):
        response = client.get(f"/logs/{entry.id}/attachments/{attachment.id}/{rendition}")
        assert response.status_code == 303
        location = response.headers["Location"]
        assert location.startswith(s3_settings["STORAGE_S3_ENDPOINT_URL"])
        query = parse_qs(urlsplit(location).query)
        assert int(query["X-Amz-Expires"][0]) <= 300
        with urllib.request.urlopen(location, timeout=10) as got:
            body = got.read()
            assert got.headers["Content-Disposition"].startswith(disposition)
            assert got.headers["Content-Type"] == attachment.file.rendition(rendition)["mime"]
        assert body == read_object(app, attachment.file.rendition(rendition)["key"])
    # The bucket holds the renditions and nothing else: no quarantine copies left behind.
    assert sorted(stored_keys(app)) == sorted(r["key"] for f in files for r in f.renditions.values())


HOSTILE_NAMES = {
    "traversal": "../../../etc/passwd.jpg",
    "windows traversal": "..\\..\\windows\\system32\\photo.jpg",
    "nul": "photo.jpg\x00.html",
    "rtlo": "holiday\u202egpj.exe",
    "crlf": "photo\r\nSet-Cookie: stolen=1.jpg",
    "long": "a" * 300 + ".jpg",
    "markup": "<script>alert(1)</script>.jpg",
}


def test_hostile_file_names_are_kept_only_as_sanitised_labels(app, client, family, backend):
    client.sign_in(family.carer)
    for label, name in HOSTILE_NAMES.items():
        if label == "crlf":
            # A browser percent-encodes CR and LF in a file name, so they arrive only from a hand-made request
            # (the form parser drops such a part); the service is given the raw name to prove the labels are safe.
            from portal.core.clock import today
            from portal.records.services import Upload, write_log_entry

            write_log_entry(
                family.carer,
                child=family.child,
                household=family.household,
                entry_date=today(),
                time_of_day=None,
                category="daily_life",
                body=f"Name test {label}",
                is_significant=False,
                idempotency_key=label,
                attachments=[Upload(io.BytesIO(jpeg()), name)],
            )
            drain_jobs(app)
        else:
            response = client.submit("/logs/new", log_form(family, [(jpeg(), name)], body=f"Name test {label}"))
            assert response.status_code == 302, label
            assert "<script>alert(1)" not in client.get(response.location).get_data(as_text=True)
        entry = db.session.scalars(select(LogEntry).where(LogEntry.body == f"Name test {label}")).one()
        f = entry.attachments[0].file
        assert f.status == READY, (label, f.status, f.rejection_reason)
        assert not re.search(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069/\\]", f.original_name), label
        assert len(f.original_name) <= 120
        for r in f.renditions.values():
            assert re.fullmatch(rf"logs/{family.child.id}/{f.uid}/(master|display|thumb)\.jpg", r["key"]), r["key"]
        served = client.get(f"/logs/{entry.id}/attachments/{entry.attachments[0].id}/original")
        if served.status_code == 200:
            served.get_data()  # a streamed body: read it so the request finishes
            header = served.headers["Content-Disposition"]
        else:
            with urllib.request.urlopen(served.headers["Location"], timeout=10) as got:
                header = got.headers["Content-Disposition"]
        assert header.startswith('attachment; filename="')
        assert not re.search(r"[\x00-\x1f\x7f]|\.\./|\u202e", header), (label, header)
    assert all(k.startswith(("logs/", "quarantine/")) for k in stored_keys(app))
    assert not any(".." in k or "passwd" in k or "script" in k for k in stored_keys(app))


def test_the_reconciler_reports_stray_objects_and_missing_ones(app, client, family, backend):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, [(jpeg(), "a.jpg"), (jpeg(), "b.jpg")]))
    assert reconcile() == {"orphaned_objects": [], "unclaimed_quarantine": [], "missing_objects": []}
    a, b = stored_files()
    storage = app.extensions["hearth_storage"]
    storage.put("logs/999/stray/master.jpg", io.BytesIO(jpeg()), "image/jpeg")
    storage.put("quarantine/not-yet-committed", b"x", "application/octet-stream")
    storage.delete(b.renditions["display"]["key"])
    report = reconcile()
    assert report["orphaned_objects"] == ["logs/999/stray/master.jpg"]
    assert report["unclaimed_quarantine"] == ["quarantine/not-yet-committed"]
    assert report["missing_objects"] == [b.renditions["display"]["key"]]
    assert storage.exists("quarantine/not-yet-committed")  # reported, never deleted: its row may be about to commit
