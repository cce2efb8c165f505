"""The installable app in a real browser: manifest, service worker, the offline page, and nothing private kept."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

CACHED_URLS = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
  }
  return out;
}"""


def _wait_for_worker(page) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()  # the first page was loaded before the worker existed; from now on it is in control
    assert page.evaluate("!!navigator.serviceWorker.controller"), "the service worker never took control"


def test_manifest_is_valid_and_its_icons_load(new_context):
    page = new_context().new_page()
    page.goto("/sign-in")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    for key in ("name", "short_name", "start_url", "display", "theme_color", "background_color", "icons"):
        assert manifest.get(key), f"manifest has no {key}"
    assert manifest["theme_color"] == page.locator("meta[name=theme-color]").get_attribute("content")
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).ok, icon["src"]


def test_service_worker_shows_the_offline_page_when_the_network_is_gone(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/sign-in")
    _wait_for_worker(page)
    context.set_offline(True)
    page.goto("/help")
    assert page.locator("h1").inner_text() == "You are offline"
    # The shell still looks right offline: the stylesheet came from the worker's cache.
    assert page.evaluate("getComputedStyle(document.querySelector('.govuk-footer')).borderTopStyle") != "none"
    context.set_offline(False)
    page.goto("/help")
    assert page.locator("h1").inner_text() != "You are offline"


def test_service_worker_never_keeps_a_signed_in_page(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/sign-in")
    _wait_for_worker(page)
    sign_in(page, "carer@example.org")
    assert "Sarah" in page.locator("h1").inner_text()
    for path in ("/", "/help", "/account"):
        page.goto(path)
    cached = page.evaluate(CACHED_URLS)
    assert cached, "nothing was precached"
    for name, paths in cached.items():
        assert name.startswith("hearth-shell-")
        for path in paths:
            assert path.startswith("/static/") or path == "/offline", f"{path} was kept in {name}"
    # The kept offline page is the signed-out one, fetched without cookies.
    offline = page.evaluate("async () => (await (await caches.match('/offline')).text())")
    assert 'data-signed-in="false"' in offline
    assert "Sarah Okafor" not in offline and "Sign out" not in offline

    context.set_offline(True)
    page.goto("/")
    assert page.locator("h1").inner_text() == "You are offline"
    assert "Jordan" not in page.content()


def test_signing_out_clears_everything_the_browser_cached_except_the_app_shell(new_context):
    context = new_context()
    page = context.new_page()
    sign_in(page, "carer@example.org")
    _wait_for_worker(page)
    # Something cached by a page or an older version of the app.
    page.evaluate(
        "async () => { const c = await caches.open('hearth-pages'); await c.put('/', new Response('private')); }"
    )
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: not url.endswith("/"))  # wherever sign-out lands, it is a signed-out page
    assert page.locator("body").get_attribute("data-signed-in") == "false"
    page.wait_for_function("async () => !(await caches.keys()).includes('hearth-pages')")
    names = page.evaluate("caches.keys()")
    assert names and all(name.startswith("hearth-shell-") for name in names)
