"""Assets as browsers receive them: only built files under /static/, compressed and cached for a year; pages
compressed without losing their headers; the header and navigation drawn once per page."""

from __future__ import annotations

import gzip
import io
import re

import brotli
import pytest
from flask import Response
from sqlalchemy import event, select

from portal.auth.gates import public
from portal.core.assets import DIST, is_hashed, load_manifest
from portal.core.db import db
from portal.core.notify import notify_in_app
from tests.factories import make_carer_household

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd", "Sec-Fetch-Site": "same-origin"}
DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def _body(response) -> bytes:
    data = response.get_data()
    response.close()
    encoding = response.headers.get("Content-Encoding")
    return DECODERS[encoding](data) if encoding else data


def _assets_of(html: str) -> list[str]:
    return re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html)


@pytest.mark.parametrize(
    "path",
    [
        "/static/build.mjs",
        "/static/css/hearth.scss",
        "/static/css/memories.scss",
        "/static/js/hearth.js",
        "/static/js/service-worker.js",
        "/static/icons/make_icons.py",
        "/static/icons/favicon.svg",  # the source icon; the published one has a hash in its name
        "/static/dist/manifest.json",
        "/static/../portal/config.py",
        "/static/%2e%2e/pyproject.toml",
    ],
)
def test_static_sources_are_not_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    response.close()


def test_every_published_file_has_a_content_hash_in_its_name():
    published = [p for p in DIST.rglob("*") if p.is_file() and p.suffix not in {".br", ".gz"}]
    assert published, "static/dist is empty: run `make assets`"
    assert [p.name for p in published if not is_hashed(p.name)] == ["manifest.json"]
    assert set(load_manifest().values()) == {str(p.relative_to(DIST)) for p in published if is_hashed(p.name)}


def test_pages_use_only_hashed_assets_cached_for_a_year(client):
    page = client.get("/sign-in").text
    assets = _assets_of(page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for url in assets:
        assert is_hashed(url), url
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, url
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache, url
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()


@pytest.mark.parametrize("accept, expected", [("br", "br"), ("gzip", "gzip"), ("gzip, br", "br"), ("", None)])
def test_stylesheets_and_scripts_are_sent_precompressed_as_the_browser_asks(client, accept, expected):
    manifest = load_manifest()
    for name in ("hearth.css", "hearth.js"):
        url = f"/static/{manifest[name]}"
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == expected, (url, accept)
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        assert _body(response) == (DIST / manifest[name]).read_bytes()


def test_pages_are_compressed_and_keep_no_store_vary_and_the_csp_nonce(client):
    carer, _household = make_carer_household()
    client.sign_in(carer)
    for accept, expected in (("br, gzip", "br"), ("gzip", "gzip")):
        response = client.get("/", headers={**BROWSER, "Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == expected
        html = _body(response).decode()
        assert "</html>" in html
        assert response.headers["Cache-Control"] == "no-store"
        vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
        assert {"accept-encoding", "cookie"} <= vary
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        assert f'<script nonce="{nonce}">' in html


def test_pages_another_site_asked_for_are_not_compressed(client):
    # BREACH: a page holding the CSRF token is never compressed for a request another site started.
    for site in ("cross-site", "same-site"):
        response = client.get("/sign-in", headers={**BROWSER, "Sec-Fetch-Site": site})
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert 'name="csrf_token"' in response.text
    assert client.get("/sign-in", headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"


def test_streamed_responses_are_compressed_whole(app, client):
    rows = [f"{i},row {i}\n" for i in range(5000)]

    @public
    def streamed():
        return Response((row for row in rows), mimetype="text/csv")

    app.add_url_rule("/test-streamed.csv", "test_streamed", streamed)
    for encoding in ("br", "gzip"):
        response = client.get("/test-streamed.csv", headers={**BROWSER, "Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert _body(response).decode() == "".join(rows)


@pytest.fixture
def family_with_a_document(app, client):
    from tests.factories import make_family
    from tests.records.conftest import png_bytes

    family = make_family()
    client.sign_in(family.carer)
    response = client.submit(
        f"/households/{family.household.id}/documents/new",
        {
            "folder": "fire_escape_plan",
            "title": "Fire escape plan",
            "document_date-day": "1",
            "document_date-month": "2",
            "document_date-year": "2026",
            "file": (io.BytesIO(png_bytes(size=(400, 300))), "plan.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return family


def test_file_downloads_are_streamed_as_stored_never_recompressed(client, family_with_a_document):
    from portal.records.models import DocumentVersion

    version = db.session.scalar(select(DocumentVersion))
    url = f"/documents/{version.document_id}/versions/{version.id}"
    plain = client.get(url)
    assert plain.status_code == 200
    expected = plain.get_data()
    plain.close()
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]
    assert int(response.headers["Content-Length"]) == len(expected)
    assert response.get_data() == expected
    response.close()


def test_each_page_draws_the_header_and_navigation_once_and_counts_unread_notices_once(app, client):
    carer, _household = make_carer_household()
    notify_in_app(carer.id, "Your claim was approved")
    db.session.commit()
    client.sign_in(carer)
    counted: list[str] = []

    def _count(_conn, _cursor, statement, *_args):
        if re.search(r"count\(\*\)(?: AS \w+)?\s+FROM notifications\b", statement, re.I):
            counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        html = client.get("/").text
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    assert len(counted) == 1
    assert html.count('<header class="govuk-template__header"') == 1
    assert html.count('class="govuk-generic-header"') == 1
    assert html.count('class="govuk-service-navigation"') == 1
    assert html.count("Notifications (1 new)") == 1
    assert html.count('<footer class="govuk-template__footer"') == 1
