"""The installable shell: web app manifest, icons, the service worker's asset list and the offline page."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from tests.factories import make_carer_household


def _shell(client) -> dict:
    body = client.get("/service-worker.js").get_data(as_text=True)
    match = re.match(r"self\.HEARTH_SHELL = (\{.*?\});\n", body)
    assert match, "the worker does not start with its asset list"
    return json.loads(match.group(1))


def test_manifest_describes_an_installable_app_in_the_councils_colour(client, app):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["short_name"] == app.config["SERVICE_NAME"]
    assert app.config["COUNCIL_NAME"] in manifest["name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["scope"] == "/"
    assert manifest["theme_color"] == app.config["THEME_COLOUR"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_every_manifest_icon_is_a_png_of_the_size_it_claims(client):
    for icon in client.get("/manifest.webmanifest").get_json(force=True)["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        image = Image.open(io.BytesIO(response.get_data()))
        assert image.format == "PNG"
        assert "x".join(map(str, image.size)) == icon["sizes"]
        response.close()


def test_maskable_icon_fills_its_square_so_launchers_can_crop_it(client):
    icons = client.get("/manifest.webmanifest").get_json(force=True)["icons"]
    response = client.get(next(icon["src"] for icon in icons if icon["purpose"] == "maskable"))
    image = Image.open(io.BytesIO(response.get_data())).convert("RGBA")
    corners = [image.getpixel(xy) for xy in [(0, 0), (511, 0), (0, 511), (511, 511)]]
    assert all(pixel[3] == 255 for pixel in corners)
    response.close()


def test_pages_link_the_manifest_icons_and_theme_colour(client, app):
    page = client.get("/sign-in").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    favicon = re.search(r'<link rel="icon" href="(/static/icons/favicon\.[0-9a-f]{10}\.svg)"', page).group(1)
    assert f'<meta name="theme-color" content="{app.config["THEME_COLOUR"]}">' in page
    svg = client.get(favicon)
    assert svg.status_code == 200 and b"<svg" in svg.get_data()
    svg.close()


def test_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def test_service_worker_precaches_only_built_assets_icons_and_the_offline_page(client):
    shell = _shell(client)
    assert shell["offline"] == "/offline"
    assert all(path.startswith("/static/") for path in shell["assets"])
    page = client.get("/sign-in").text
    for used in re.findall(r'(?:rel="stylesheet" href|src)="(/static/[^"]+)"', page):
        assert used in shell["assets"], f"{used} is used by pages but not kept for offline use"
    for path in shell["assets"]:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_service_worker_version_follows_the_assets(client):
    shell = _shell(client)
    assert re.fullmatch(r"[0-9a-f]{12}", shell["version"])
    assert _shell(client)["version"] == shell["version"]


def test_offline_page_is_public_and_offers_the_out_of_hours_number(client, app):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "You are offline" in response.text
    assert app.config["OUT_OF_HOURS_PHONE"] in response.text
    assert 'data-signed-in="false"' in response.text


def test_signed_in_pages_are_marked_so_scripts_never_treat_them_as_signed_out(client):
    carer, _household = make_carer_household()
    client.sign_in(carer)
    assert 'data-signed-in="true"' in client.get("/").text


class TestAnotherCouncil:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "THEME_COLOUR": "#4c2c92", "COUNCIL_NAME": "Eastmere Borough Council"}

    def test_theme_colour_and_council_name_come_from_settings(self, client):
        assert client.get("/manifest.webmanifest").get_json(force=True)["theme_color"] == "#4c2c92"
        page = client.get("/sign-in").text
        assert '<meta name="theme-color" content="#4c2c92">' in page
        assert "Eastmere Borough Council" in page
