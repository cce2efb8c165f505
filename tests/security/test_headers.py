"""Every response carries the security headers; signed-in pages are never stored; the session cookie is locked down."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_carer_household


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("hearth_session=")]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_content_security_policy_allows_only_our_own_scripts_with_a_nonce(client):
    response = client.get("/sign-in")
    csp = _csp(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert csp["base-uri"] == "base-uri 'none'"
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    # The one inline script (GOV.UK's js-enabled switch) carries this response's nonce.
    assert f'nonce="{nonce}"' in response.text
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
    assert inline_scripts and all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)


def test_each_response_gets_a_fresh_nonce(client):
    first = re.search(r"'nonce-([^']+)'", client.get("/sign-in").headers["Content-Security-Policy"]).group(1)
    second = re.search(r"'nonce-([^']+)'", client.get("/sign-in").headers["Content-Security-Policy"]).group(1)
    assert first != second
    assert len(first) >= 16


@pytest.mark.parametrize(
    "path", ["/sign-in", "/offline", "/manifest.webmanifest", "/service-worker.js", "/no-such-page"]
)
def test_every_response_refuses_sniffing_and_framing_and_limits_referrers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_no_hsts_on_the_plain_http_demo(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


def test_signed_in_pages_are_never_stored_by_the_browser_or_a_proxy(client):
    carer, _household = make_carer_household()
    client.sign_in(carer)
    home = client.get("/")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"
    assert client.get("/help").headers["Cache-Control"] == "no-store"


def test_built_assets_are_not_marked_no_store(client):
    page = client.get("/sign-in").text
    css = re.search(r'href="(/static/hearth\.[0-9a-f]+\.css)"', page).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = _session_cookie(client.get("/sign-in"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the local demo runs on plain http://127.0.0.1


class TestWhenServedOverHttps:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "SESSION_COOKIE_SECURE": "true"}

    def test_hsts_is_sent(self, client):
        hsts = client.get("/sign-in").headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts

    def test_session_cookie_is_secure(self, client):
        cookie = _session_cookie(client.get("/sign-in"))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
